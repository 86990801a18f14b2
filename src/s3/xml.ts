// The little XML S3's REST protocol needs: escaping, elements built from plain values, and reading
// the few request documents S3 takes (CompleteMultipartUpload, Delete, CreateBucketConfiguration).

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** `text` with XML's five special characters escaped. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** An element's children: text, nested elements, or lists of them; undefined leaves it out. */
export type XmlValue = string | number | boolean | undefined | XmlElement | XmlValue[];
export interface XmlElement { [name: string]: XmlValue }

/** `<name>value</name>` for each member of `element`, in order; arrays repeat the element. */
export function xmlElements(element: XmlElement): string {
  let out = '';
  for (const [name, value] of Object.entries(element)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined) continue;
      out += typeof item === 'object' ? `<${name}>${xmlElements(item as XmlElement)}</${name}>` : `<${name}>${escapeXml(String(item))}</${name}>`;
    }
  }
  return out;
}

/** A whole S3 document: the declaration and the root element in S3's namespace. */
export function xmlDocument(root: string, element: XmlElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_XMLNS}">${xmlElements(element)}</${root}>`;
}

/** The text of every `<name>` element of `xml` (not nested in themselves), unescaped. */
export function xmlTexts(xml: string, name: string): string[] {
  const out: string[] = [];
  const pattern = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'g');
  for (const match of xml.matchAll(pattern)) out.push(unescapeXml(match[1]));
  return out;
}

/** The raw content of every `<name>` element of `xml`, for reading its children. */
export function xmlBlocks(xml: string, name: string): string[] {
  const pattern = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'g');
  return [...xml.matchAll(pattern)].map((m) => m[1]);
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#(\d+)|#x([0-9a-fA-F]+));/g, (_m, name: string, dec?: string, hex?: string) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[name];
  });
}
