// Shared helpers for the Docker Compose rules (not a rule: the index skips `_` files).

import type { ComposeService } from '../../documents/compose/model';
import type { DocumentReport } from '../../engine/rule';

export { contentEnd, eolOf, fixOf, keyIndent, mapAt, pairOf, pairSpan, scalarAt, seqAt, setInMap, spanOf } from '../kubernetes/_k8s';

export function serviceSubject(s: ComposeService): NonNullable<DocumentReport['subject']> {
  return { type: 'service', name: s.name, address: `services.${s.name}` };
}
