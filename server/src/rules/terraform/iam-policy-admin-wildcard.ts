// Identity policies never allow every action on every resource.

import type { AttrView, BodyView, TfResource } from '../../documents/terraform/model';
import { defineRule } from '../../engine/rule';
import { isAllow, readPolicy, readPolicyDocument, someKnown, type Policy, type PolicyStatement } from './_policy';

/** The resource types holding an identity policy, and the attribute that holds it. */
const POLICY_HOLDERS: Array<[string, string]> = [
  ['aws_iam_policy', 'policy'],
  ['aws_iam_role_policy', 'policy'],
  ['aws_iam_user_policy', 'policy'],
  ['aws_iam_group_policy', 'policy'],
  ['aws_ssoadmin_permission_set_inline_policy', 'inline_policy'],
];

const ALL_ACTIONS = (a: string): boolean => a.trim() === '*' || a.trim() === '*:*';
const ALL_RESOURCES = (r: string): boolean => r.trim() === '*';

/** Allow of every action on every resource, in a statement without principals (an identity policy). */
function isAdminStatement(s: PolicyStatement): boolean {
  return isAllow(s) && s.principals === undefined && s.notPrincipals === undefined && someKnown(s.actions, ALL_ACTIONS) && someKnown(s.resources, ALL_RESOURCES);
}

export default defineRule({
  meta: {
    id: 'terraform/iam-policy-admin-wildcard',
    platform: 'terraform',
    provider: 'aws',
    title: 'IAM policies do not allow every action on every resource',
    severity: 'error',
    controls: ['9.2.3'],
    messages: {
      incorrect: 'Policy "{{name}}" allows Action "*" on Resource "*": full administrator rights.',
    },
    fixable: false,
    docs: {
      summary:
        'A statement that allows "*" on "*" makes whoever holds the policy a full administrator, able to read every secret, change every control and erase the audit trail. Privileged rights should be rare, deliberate and reviewed: grant the specific actions and resources a role needs, and keep administrator access behind a small, monitored set of roles.',
    },
    equivalents: {
      checkov: ['CKV_AWS_62', 'CKV_AWS_1'],
      kics: ['2f37c4a3-58b9-4afe-8a87-d7f1d2286f84', '575a2155-6af1-4026-b1af-d5bc8fe2a904'],
    },
    resourceTypes: [...POLICY_HOLDERS.map(([t]) => t), 'aws_iam_role', 'data.aws_iam_policy_document'],
  },
  check(ctx) {
    const judge = (owner: TfResource, view: BodyView, attr: AttrView): void => {
      const policy: Policy | undefined = readPolicy(ctx.model, view, attr);
      // A policy document data source is judged, and reported, on its own.
      if (!policy || policy.document) return;
      if (policy.statements.some(isAdminStatement)) ctx.report({ resource: owner, messageId: 'incorrect', span: attr.span, file: attr.file });
    };
    for (const [type, name] of POLICY_HOLDERS) {
      for (const res of ctx.model.resourcesOfType(type)) {
        const attr = res.attr(name);
        if (attr) judge(res, res, attr);
      }
    }
    for (const role of ctx.model.resourcesOfType('aws_iam_role')) {
      for (const inline of role.blocks('inline_policy')) {
        const attr = inline.attr('policy');
        if (attr) judge(role, inline, attr);
      }
    }
    for (const doc of ctx.model.dataOfType('aws_iam_policy_document')) {
      // Documents named in source/override lists are reported where they are written, not again here.
      const policy = readPolicyDocument(ctx.model, doc, { followDocuments: false });
      if (policy.statements.some(isAdminStatement)) ctx.report({ resource: doc, messageId: 'incorrect' });
    }
  },
});
