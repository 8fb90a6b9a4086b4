// Produces every generated file of src/protocol/generated from the descriptors, as a map from
// path (relative to that folder) to content. Writing and checking are the callers' business, so
// the freshness test and `npm run gen:protocol` share this one function.
import { type MessageSpec, readDescriptors } from './descriptor.ts';
import { emitApis } from './emit-apis.ts';
import { emitMessage, kebab } from './emit-message.ts';
import { emitSchema } from './emit-schema.ts';

export function generateProtocol(descriptorDir: string): Map<string, string> {
  const specs: MessageSpec[] = readDescriptors(descriptorDir);
  const files = new Map<string, string>();
  for (const spec of specs) files.set(`${kebab(spec.name)}.ts`, emitMessage(spec));
  files.set('apis.ts', emitApis(specs));
  files.set('schema.ts', emitSchema(specs));
  return files;
}
