import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { compileHostPolicy, hostAllowed, hostName } from './host-policy.js';

describe('hostName', () => {
  it('drops the port, brackets, case and a trailing dot', () => {
    expect(hostName('Name.Example.:3000')).toBe('name.example');
    expect(hostName('[::1]:3000')).toBe('::1');
    expect(hostName('::1')).toBe('::1');
    expect(hostName('127.0.0.1')).toBe('127.0.0.1');
  });
});

describe('compileHostPolicy / hostAllowed', () => {
  it('bound to loopback: the loopback names only, plus the allowed hosts', () => {
    const policy = compileHostPolicy('127.0.0.1', ['gpu-box.lan']);
    for (const ok of ['127.0.0.1:3000', 'localhost:3000', '[::1]:3000', 'gpu-box.lan:8080', 'GPU-BOX.LAN']) expect(hostAllowed(policy, ok), ok).toBe(true);
    for (const no of ['attacker.example:3000', '10.0.0.5:3000', 'localhost.attacker.example', '', undefined]) expect(hostAllowed(policy, no), String(no)).toBe(false);
  });

  it('bound to one address: that address and localhost', () => {
    const policy = compileHostPolicy('10.1.2.3', []);
    expect(hostAllowed(policy, '10.1.2.3:3000')).toBe(true);
    expect(hostAllowed(policy, 'localhost')).toBe(true);
    expect(hostAllowed(policy, '10.1.2.4:3000')).toBe(false);
  });

  it('bound to every interface: any address, this machine\'s name and localhost, no other name', () => {
    const policy = compileHostPolicy('0.0.0.0', []);
    expect(hostAllowed(policy, '192.168.1.20:3000')).toBe(true);
    expect(hostAllowed(policy, '[fe80::1]:3000')).toBe(true);
    expect(hostAllowed(policy, `${hostname()}:3000`)).toBe(true);
    expect(hostAllowed(policy, 'attacker.example:3000')).toBe(false);
    expect(hostAllowed(compileHostPolicy('::', []), '127.0.0.1')).toBe(true);
  });

  it('refuses an allowed host that is not a host name, naming the flag', () => {
    expect(() => compileHostPolicy('127.0.0.1', ['http://x/y'])).toThrow(/--http-allowed-hosts: "http:\/\/x\/y" is not a host name/);
  });
});
