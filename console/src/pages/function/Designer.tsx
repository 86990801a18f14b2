// Function overview: triggers -> function -> destinations.
import type { FunctionTabProps } from './tab-props';

export function Designer({ name }: FunctionTabProps) {
  return <div class="designer card"><strong>{name}</strong></div>;
}
