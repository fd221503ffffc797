// Shared helpers for the Docker Compose rules (not a rule: the index skips `_` files).

import type { ComposeService } from '../../documents/compose/model';
import type { DocumentReport } from '../../engine/rule';

export { fixOf, mapAt, pairOf, scalarAt, setInMap, spanOf, spanOfPair } from '../kubernetes/_k8s';
export { seqAt } from '../../documents/kubernetes/model';

export function serviceSubject(s: ComposeService): NonNullable<DocumentReport['subject']> {
  return { type: 'service', name: s.name, address: `services.${s.name}` };
}
