// S3 bucket ACLs grant nothing to all users or to all authenticated AWS users.

import type { AttrView, BodyView, TfResource } from '../../documents/terraform/model';
import { defineRule, type TerraformRuleContext } from '../../engine/rule';
import { replaceFix } from './_fixes';
import { isTrue, isUnknown } from './helpers';

const PUBLIC_CANNED = new Set(['public-read', 'public-read-write', 'authenticated-read']);
const PUBLIC_GROUP = /\/groups\/global\/(AllUsers|AuthenticatedUsers)$/i;

/** True when S3 is known to ignore or refuse public ACLs on this bucket (Block Public Access, or ACLs disabled). */
function aclsNeutralised(ctx: TerraformRuleContext, bucket: TfResource | undefined): boolean {
  const ignores = (r: TfResource): boolean => {
    const a = r.attr('ignore_public_acls');
    return !!a && isTrue(a.value);
  };
  if (ctx.model.resourcesOfType('aws_s3_account_public_access_block').some(ignores)) return true;
  if (!bucket) return false;
  if (ctx.model.linked(bucket, 'aws_s3_bucket_public_access_block', ['bucket'], ['bucket']).some(ignores)) return true;
  return ctx.model.linked(bucket, 'aws_s3_bucket_ownership_controls', ['bucket'], ['bucket']).some((oc) => oc.blocks('rule').some((r) => r.attr('object_ownership')?.value === 'BucketOwnerEnforced'));
}

export default defineRule({
  meta: {
    id: 'terraform/s3-bucket-public-acl',
    platform: 'terraform',
    provider: 'aws',
    title: 'S3 bucket ACLs do not grant access to everyone',
    severity: 'error',
    controls: ['9.4.1'],
    messages: {
      cannedAcl: 'S3 bucket "{{name}}" uses the canned ACL "{{acl}}", which opens it to {{who}}.',
      grant: 'S3 bucket "{{name}}" grants {{permission}} to {{who}} in its ACL.',
    },
    fixable: true,
    docs: {
      summary:
        'An ACL that grants to the AllUsers group makes the bucket readable (or writable) by anyone on the internet; the AuthenticatedUsers group means any AWS account in the world, not just yours. Keep bucket ACLs private, preferably disabled with BucketOwnerEnforced object ownership, and share data through scoped policies or CloudFront.',
    },
    equivalents: {
      checkov: ['CKV_AWS_20', 'CKV_AWS_57', 'CKV2_AWS_43'],
      trivy: ['AVD-AWS-0092', 'AWS-0092', 'aws-s3-no-public-access-with-acl'],
      kics: ['38c5ee0d-7f22-4260-ab72-5073048df100'],
    },
    resourceTypes: ['aws_s3_bucket', 'aws_s3_bucket_acl'],
  },
  check(ctx) {
    const whoOf = (s: string): string => (/authenticated/i.test(s) ? 'every authenticated AWS user' : 'everyone');
    const checkCanned = (owner: TfResource, acl: AttrView | undefined): void => {
      if (!acl || isUnknown(acl.value) || typeof acl.value !== 'string' || !PUBLIC_CANNED.has(acl.value)) return;
      ctx.report({
        resource: owner,
        messageId: 'cannedAcl',
        span: acl.span,
        file: acl.file,
        data: { acl: acl.value, who: whoOf(acl.value) },
        fix: replaceFix(ctx, acl, '"private"'),
      });
    };
    /** `grant` is the grant block to remove (the fix drops the public grant, keeping the others). */
    const checkGrant = (owner: TfResource, uri: AttrView | undefined, permission: string, grant: BodyView): void => {
      if (!uri || typeof uri.value !== 'string' || !PUBLIC_GROUP.test(uri.value)) return;
      const fix = ctx.fixer.fix(`Remove the grant to ${whoOf(uri.value)}`, ctx.fixer.remove(grant.file, grant.block));
      ctx.report({ resource: owner, messageId: 'grant', span: uri.span, file: uri.file, data: { permission, who: whoOf(uri.value) }, fix });
    };
    const permText = (a: AttrView | undefined): string => {
      if (!a) return 'access';
      if (typeof a.value === 'string') return a.value;
      if (Array.isArray(a.value) && a.value.every((x) => typeof x === 'string')) return a.value.join(', ');
      return 'access';
    };

    for (const bucket of ctx.model.resourcesOfType('aws_s3_bucket')) {
      if (aclsNeutralised(ctx, bucket)) continue;
      checkCanned(bucket, bucket.attr('acl'));
      for (const g of bucket.blocks('grant')) checkGrant(bucket, g.attr('uri'), permText(g.attr('permissions')), g);
    }

    const buckets = ctx.model.resourcesOfType('aws_s3_bucket');
    for (const acl of ctx.model.resourcesOfType('aws_s3_bucket_acl')) {
      const ref = acl.attr('bucket');
      let bucket: TfResource | undefined;
      if (ref) {
        bucket = ctx.model.referencedBy(ref).find((r) => r.type === 'aws_s3_bucket');
        if (!bucket && typeof ref.value === 'string') bucket = buckets.find((b) => b.attr('bucket')?.value === ref.value);
      }
      if (aclsNeutralised(ctx, bucket)) continue;
      checkCanned(acl, acl.attr('acl'));
      for (const policy of acl.blocks('access_control_policy')) {
        for (const g of policy.blocks('grant')) {
          for (const grantee of g.blocks('grantee')) checkGrant(acl, grantee.attr('uri'), permText(g.attr('permission')), g);
        }
      }
    }
  },
});
