// What the function page hands each of its tabs: the function as GetFunction answered, and a
// way to read it again after a change.
import type { FunctionDetails } from '../../aws/lambda';

export interface FunctionTabProps {
  name: string;
  details: FunctionDetails;
  reload: () => Promise<void>;
}
