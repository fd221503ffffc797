// Load balancer listeners that accept plain HTTP must only redirect clients to HTTPS.

import { defineRule } from '../../engine/rule';
import type { AttrView, BodyView } from '../../documents/terraform/model';
import { hcl, replaceFix, setFix, type FixSpec } from './_fixes';
import { isUnknown } from './helpers';

/** The action the fix writes: a permanent redirect to HTTPS on port 443. */
const REDIRECT = hcl.block('default_action', [
  hcl.attr('type', '"redirect"'),
  hcl.block('redirect', [hcl.attr('port', '"443"'), hcl.attr('protocol', '"HTTPS"'), hcl.attr('status_code', '"HTTP_301"')]),
]);

const upper = (v: unknown): string | undefined => (typeof v === 'string' ? v.toUpperCase() : undefined);

export default defineRule({
  meta: {
    id: 'terraform/lb-listener-http',
    platform: 'terraform',
    provider: 'aws',
    title: 'Load balancer HTTP listeners only redirect to HTTPS',
    severity: 'warning',
    controls: ['10.1.1'],
    messages: {
      plainHttp: 'Listener "{{name}}" serves plain HTTP instead of redirecting clients to HTTPS.',
      redirectNotHttps: 'Listener "{{name}}" redirects to {{protocol}} instead of HTTPS.',
    },
    fixable: true,
    docs: {
      summary:
        'Traffic on an HTTP listener crosses the network in clear text, so credentials, cookies and data can be read or altered on the way. An HTTP listener should only answer with a redirect to the HTTPS listener, so that every request carrying data is encrypted.',
    },
    equivalents: {
      checkov: ['CKV_AWS_2'],
      trivy: ['AVD-AWS-0054', 'AWS-0054', 'aws-elb-http-not-used'],
      kics: ['de7f5e83-da88-4046-871f-ea18504b1d43'],
    },
    resourceTypes: ['aws_lb_listener', 'aws_alb_listener'],
  },
  check(ctx) {
    for (const listener of ctx.model.resourcesOfType('aws_lb_listener', 'aws_alb_listener')) {
      const protocol = listener.attr('protocol');
      if (protocol) {
        if (isUnknown(protocol.value) || upper(protocol.value) !== 'HTTP') continue;
      } else {
        // Without a protocol, the listener speaks HTTP on an application load balancer and TCP on a network one.
        const lbArn = listener.attr('load_balancer_arn');
        const lbs = lbArn ? ctx.model.referencedBy(lbArn).filter((r) => r.type === 'aws_lb' || r.type === 'aws_alb') : [];
        if (lbs.length > 0) {
          const type = lbs[0]!.attr('load_balancer_type');
          if (type && (isUnknown(type.value) || type.value !== 'application')) continue;
        }
        // A certificate or TLS policy without a protocol is a half-written HTTPS listener; leave it to the other rules.
        if (listener.attr('certificate_arn') || listener.attr('ssl_policy')) continue;
      }
      const actions = listener.blocks('default_action');
      let redirectsToHttps = false;
      let undecided = false;
      let badRedirect: { protocol: string; span: { start: number; end: number }; file: string; view: BodyView; attr?: AttrView } | undefined;
      for (const action of actions) {
        const type = action.attr('type');
        if (!type || isUnknown(type.value)) {
          undecided = true;
          continue;
        }
        if (type.value !== 'redirect') continue;
        const redirect = action.blocks('redirect')[0];
        if (!redirect) {
          if (action.hasDynamic('redirect')) undecided = true;
          continue;
        }
        const target = redirect.attr('protocol');
        if (!target) {
          // The redirect keeps the listener's own protocol (`#{protocol}`), i.e. HTTP.
          badRedirect ??= { protocol: 'HTTP', span: { start: redirect.block.start, end: redirect.block.typeSpan.end }, file: redirect.file, view: redirect };
          continue;
        }
        if (isUnknown(target.value)) {
          undecided = true;
          continue;
        }
        if (upper(target.value) === 'HTTPS') redirectsToHttps = true;
        else badRedirect ??= { protocol: String(target.value), span: target.span, file: target.file, view: redirect, attr: target };
      }
      if (redirectsToHttps || undecided || listener.hasDynamic('default_action')) continue;
      if (badRedirect) {
        const fix = badRedirect.attr ? replaceFix(ctx, badRedirect.attr, '"HTTPS"') : setFix(ctx, badRedirect.view, 'protocol', '"HTTPS"');
        ctx.report({ resource: listener, messageId: 'redirectNotHttps', span: badRedirect.span, file: badRedirect.file, data: { protocol: badRedirect.protocol }, fix });
        continue;
      }
      // The fix turns the single default action into a redirect to HTTPS (several actions need a person to merge).
      let fix: FixSpec | undefined;
      if (actions.length === 1) fix = ctx.fixer.fix('Redirect HTTP to HTTPS (301; serve the app from an HTTPS listener on port 443)', ctx.fixer.replaceItem(actions[0]!.file, actions[0]!.block, REDIRECT));
      else if (actions.length === 0) fix = ctx.fixer.fix('Redirect HTTP to HTTPS (301; serve the app from an HTTPS listener on port 443)', ctx.fixer.insert(listener, [REDIRECT]));
      if (protocol) {
        ctx.report({ resource: listener, messageId: 'plainHttp', span: protocol.span, file: protocol.file, fix });
      } else if (actions[0]) {
        const b = actions[0].block;
        ctx.report({ resource: listener, messageId: 'plainHttp', span: { start: b.start, end: b.typeSpan.end }, file: actions[0].file, fix });
      } else {
        ctx.report({ resource: listener, messageId: 'plainHttp', fix });
      }
    }
  },
});
