/**
 * A Windows policy host for tests on any OS: the registry values, known folder and security
 * descriptors are what the test says, as powerShellPolicyHost would report them (REG_DWORD a
 * number, REG_MULTI_SZ a list). `fail` makes a call throw as a refused reader would.
 */
import type { WindowsPolicyHost } from '../../main/settings/windows-policy-host';

export function fakeWindowsPolicyHost(opts: {
  registry?: Record<string, unknown> | null;
  commonAppData?: string;
  sddl?: Record<string, string>;
  fail?: Array<keyof WindowsPolicyHost>;
}): WindowsPolicyHost & { asked: string[] } {
  const asked: string[] = [];
  const failing = (what: keyof WindowsPolicyHost) => {
    asked.push(what);
    if (opts.fail?.includes(what)) throw Object.assign(new Error('refused'), { code: 'EPERM' });
  };
  return {
    asked,
    commonAppData() {
      failing('commonAppData');
      return opts.commonAppData ?? 'C:\\ProgramData';
    },
    securityDescriptor(path) {
      failing('securityDescriptor');
      return opts.sddl?.[path] ?? null;
    },
    registryValues() {
      failing('registryValues');
      return opts.registry === undefined ? null : opts.registry;
    },
  };
}
