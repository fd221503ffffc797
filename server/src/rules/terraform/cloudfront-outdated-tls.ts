// CloudFront distributions accept viewers over TLS 1.2 or later only.

import { defineRule } from '../../engine/rule';
import { hcl, replaceFix, setFix } from './_fixes';
import { isTrue, isUnknown } from './helpers';

/** Security policies whose lowest protocol is TLS 1.2 or 1.3 (TLSv1.2_2018, TLSv1.2_2019, TLSv1.2_2021, ...). */
const MODERN = /^TLSv1\.[23]_\d{4}$/;
/** What the fixes write: AWS's recommended security policy for custom certificates. */
const RECOMMENDED = 'TLSv1.2_2021';

export default defineRule({
  meta: {
    id: 'terraform/cloudfront-outdated-tls',
    platform: 'terraform',
    provider: 'aws',
    title: 'CloudFront distributions require TLS 1.2 or later from viewers',
    severity: 'warning',
    controls: ['10.1.1'],
    messages: {
      missing: 'CloudFront distribution "{{name}}" has no viewer_certificate, so viewers may connect with TLS 1.0.',
      defaultCertificate: 'CloudFront distribution "{{name}}" uses the default *.cloudfront.net certificate, which always accepts TLS 1.0.',
      noMinimum: 'CloudFront distribution "{{name}}" sets no minimum_protocol_version; the default "TLSv1" accepts TLS 1.0.',
      incorrect: 'CloudFront distribution "{{name}}" accepts viewers with "{{version}}", older than TLS 1.2.',
    },
    fixable: true,
    docs: {
      summary:
        'SSLv3, TLS 1.0 and TLS 1.1 have known weaknesses. A distribution that still offers them lets a viewer, or an attacker in between, fall back to a breakable protocol. Serve the distribution with your own certificate and a minimum_protocol_version of TLSv1.2_2021 (or at least TLSv1.2_2018).',
    },
    equivalents: {
      checkov: ['CKV_AWS_174'],
      trivy: ['AVD-AWS-0013', 'AWS-0013', 'aws-cloudfront-use-secure-tls-policy'],
      kics: ['00e5e55e-c2ff-46b3-a757-a7a1cd802456'],
    },
    resourceTypes: ['aws_cloudfront_distribution'],
  },
  check(ctx) {
    for (const dist of ctx.model.resourcesOfType('aws_cloudfront_distribution')) {
      const certs = dist.blocks('viewer_certificate');
      if (certs.length === 0) {
        if (!dist.hasDynamic('viewer_certificate')) ctx.report({ resource: dist, messageId: 'missing' });
        continue;
      }
      const cert = certs[0]!;
      const useDefault = cert.attr('cloudfront_default_certificate');
      if (useDefault && isUnknown(useDefault.value)) continue;
      if (useDefault && isTrue(useDefault.value)) {
        ctx.report({ resource: dist, messageId: 'defaultCertificate', span: useDefault.span, file: useDefault.file });
        continue;
      }
      const version = cert.attr('minimum_protocol_version');
      if (!version) {
        ctx.report({
          resource: dist,
          messageId: 'noMinimum',
          span: { start: cert.block.start, end: cert.block.typeSpan.end },
          file: cert.file,
          fix: setFix(ctx, cert, 'minimum_protocol_version', hcl.str(RECOMMENDED)),
        });
        continue;
      }
      if (typeof version.value !== 'string' || MODERN.test(version.value)) continue;
      ctx.report({ resource: dist, messageId: 'incorrect', span: version.span, file: version.file, data: { version: version.value }, fix: replaceFix(ctx, version, hcl.str(RECOMMENDED)) });
    }
  },
});
