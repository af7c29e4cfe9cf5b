// Reading and writing WeChat's XML. Pushes are one flat <xml> element (events may nest one level). Values
// are kept as strings: MsgId is a 64-bit integer that a JS number would round. DOCTYPE and entity
// declarations never occur in real pushes and are refused outright (entity-expansion attacks).
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { NormalizationError } from '../../src/core/errors.js';

export type XmlFields = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** The children of the root <xml> element; NormalizationError when the text is not such a document. */
export function parseWechatXml(raw: string): XmlFields {
  if (/<!DOCTYPE|<!ENTITY/i.test(raw)) throw new NormalizationError('XML with a DOCTYPE or entity declaration is not accepted');
  const valid = XMLValidator.validate(raw);
  if (valid !== true) throw new NormalizationError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  let doc: unknown;
  try {
    doc = parser.parse(raw);
  } catch (err) {
    throw new NormalizationError(`malformed XML: ${(err as Error).message}`);
  }
  const root = (doc as Record<string, unknown> | undefined)?.xml;
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw new NormalizationError('the XML has no <xml> root element with fields');
  return root as XmlFields;
}

/** A field as a string, or undefined when it is absent, repeated or nested. */
export function field(fields: XmlFields, name: string): string | undefined {
  const v = fields[name];
  return typeof v === 'string' ? v : undefined;
}

/** A field that must be present and non-empty. */
export function requiredField(fields: XmlFields, name: string): string {
  const v = field(fields, name);
  if (!v) throw new NormalizationError(`<${name}> is missing`, name);
  return v;
}

/** CDATA can hold anything except its own terminator, which is split across two sections. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** Builds a flat <xml> document; numbers are written bare, strings as CDATA, as WeChat's samples do. */
export function buildWechatXml(fields: Record<string, string | number>): string {
  const body = Object.entries(fields)
    .map(([k, v]) => `<${k}>${typeof v === 'number' ? String(v) : cdata(v)}</${k}>`)
    .join('');
  return `<xml>${body}</xml>`;
}
