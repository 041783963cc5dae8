import { describe, expect, it } from 'vitest'
import { DEFAULT_FROM, smtpConfigFromEnv } from './mail-config.ts'

describe('smtpConfigFromEnv', () => {
  it('is null without SMTP_URL or SMTP_HOST: email stays in the outbox', () => {
    expect(smtpConfigFromEnv({})).toBeNull()
    expect(smtpConfigFromEnv({ MAIL_FROM: 'a@b.test' })).toBeNull()
  })

  it('reads SMTP_URL with its credentials, decoded, and the default port of its scheme', () => {
    expect(smtpConfigFromEnv({ SMTP_URL: 'smtp://me%40x.test:p%2Fw@mail.x.test' })).toEqual({
      host: 'mail.x.test',
      port: 587,
      secure: false,
      user: 'me@x.test',
      password: 'p/w',
      from: DEFAULT_FROM,
      timeoutMs: 15000,
    })
    expect(
      smtpConfigFromEnv({ SMTP_URL: 'smtps://mail.x.test', MAIL_FROM: 'Pay <pay@x.test>' }),
    ).toMatchObject({
      port: 465,
      secure: true,
      user: null,
      from: 'Pay <pay@x.test>',
    })
  })

  it('reads SMTP_HOST and its companions', () => {
    expect(
      smtpConfigFromEnv({
        SMTP_HOST: 'relay.x.test',
        SMTP_PORT: '2525',
        SMTP_USER: 'u',
        SMTP_PASSWORD: 'p',
        SMTP_SECURE: 'false',
        SMTP_TIMEOUT_MS: '3000',
      }),
    ).toEqual({
      host: 'relay.x.test',
      port: 2525,
      secure: false,
      user: 'u',
      password: 'p',
      from: DEFAULT_FROM,
      timeoutMs: 3000,
    })
    expect(smtpConfigFromEnv({ SMTP_HOST: 'relay.x.test', SMTP_SECURE: 'true' })).toMatchObject({
      port: 465,
      secure: true,
    })
  })

  it.each([
    [{ SMTP_URL: 'http://x.test' }, 'SMTP_URL: the scheme must be smtp: or smtps:, not http:'],
    [{ SMTP_URL: 'not a url' }, 'SMTP_URL: not a URL (smtp://user:password@host:587 or smtps://host:465).'],
    [{ SMTP_HOST: 'x.test', SMTP_PORT: '70000' }, 'SMTP_PORT: "70000" is not a port (1-65535).'],
    [{ SMTP_HOST: 'x.test', SMTP_SECURE: 'maybe' }, 'SMTP_SECURE: "maybe" is not true or false.'],
    [{ SMTP_HOST: 'x.test', SMTP_PASSWORD: 'p' }, 'SMTP_PASSWORD: is set but SMTP_USER is not.'],
    [{ SMTP_USER: 'u' }, 'SMTP_USER: is set but SMTP_HOST (or SMTP_URL) is not.'],
    [{ SMTP_HOST: 'x.test', SMTP_TIMEOUT_MS: '0' }, 'SMTP_TIMEOUT_MS: "0" is not a number of milliseconds.'],
  ])('refuses %j', (env, message) => {
    expect(() => smtpConfigFromEnv(env)).toThrow(
      expect.objectContaining({ code: 'mail.config_invalid', message }),
    )
  })
})
