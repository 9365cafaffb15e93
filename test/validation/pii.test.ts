import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VALIDATION_CONFIG, detectPii, PATTERN_PII_TYPES, luhnValid, PII_PLACEHOLDERS, parseValidationConfig, redactPii, redactSample, runCheapChecks } from '../../core/validation';
import { sample } from './fixtures';

const types = (t: string) => detectPii(t).map((s) => s.type);

describe('PII detection', () => {
  it('finds emails', () => {
    expect(redactPii('Mail me at john.doe+tag@example.co.uk, please.').text).toBe('Mail me at [EMAIL], please.');
    expect(redactPii('메일은 kim_minsu@naver.com으로 보내 주세요.').text).toBe('메일은 [EMAIL]으로 보내 주세요.');
  });

  it('finds Korean, international and North American phone numbers', () => {
    expect(redactPii('Call 010-1234-5678 or 02-123-4567 or 01012345678.').text).toBe('Call [PHONE] or [PHONE] or [PHONE].');
    expect(redactPii('Call +82 10-1234-5678, +1 (555) 123-4567 or +44 20 7946 0958.').text).toBe('Call [PHONE], [PHONE] or [PHONE].');
    expect(redactPii('US: (555) 123-4567, 1-800-555-0199, 555.123.4567').text).toBe('US: [PHONE], [PHONE], [PHONE]');
    expect(redactPii('전화는 010-9876-5432로 주세요.').text).toBe('전화는 [PHONE]로 주세요.');
  });

  it('finds Luhn-valid card numbers only', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(redactPii('Card 4111 1111 1111 1111, 4111-1111-1111-1112 and 5500000000000004.').text).toBe('Card [CREDIT_CARD], 4111-1111-1111-1112 and [CREDIT_CARD].');
    expect(redactPii('order 12 4111 1111 1111 1111 today').text).toBe('order 12 [CREDIT_CARD] today');
    // Several numbers in one run of digit groups: each found (the property test's counterexample).
    expect(redactPii('ids 000101 1000100 4100 0000 0000 0001').text).toBe('ids [KR_RRN] [CREDIT_CARD]');
    expect(redactPii('4111 1111 1111 1111 5500 0000 0000 0004').text).toBe('[CREDIT_CARD] [CREDIT_CARD]');
  });

  it('finds Korean resident registration numbers and US SSNs (valid shapes only)', () => {
    expect(redactPii('RRN 900101-1234567, SSN 123-45-6789.').text).toBe('RRN [KR_RRN], SSN [US_SSN].');
    expect(types('not an SSN: 000-12-3456, 666-12-3456, 123-00-4567')).toEqual([]);
    expect(types('not an RRN: 901301-1234567 (month 13)')).toEqual([]);
  });

  it('finds IPv4 addresses and URLs with credentials, not plain URLs or versions', () => {
    expect(redactPii('Server 192.168.0.1 is down.').text).toBe('Server [IP_ADDRESS] is down.');
    expect(types('version 1.2.3.4.5 and 999.1.1.1 and 10.0.0')).toEqual([]);
    // One span for the URL, though it contains something email-like.
    expect(redactPii('Open https://admin:s3cret@db.example.com/path?x=1. Then log in.').text).toBe('Open [URL_WITH_CREDENTIALS]. Then log in.');
    expect(redactPii('See https://example.com/path and ftp://bob@files.example.org.').text).toBe('See https://example.com/path and [URL_WITH_CREDENTIALS].');
  });

  it('leaves ordinary numbers, dates, times and prices alone', () => {
    expect(types('I was born in 1990, have 3 cats, paid $1,234.56 on 2024-01-15 at 10:30 and ran 10,000 m.')).toEqual([]);
  });

  it('reports each placeholder position in the redacted text', () => {
    const r = redactPii('a@b.io and 010-1234-5678');
    expect(r.text).toBe('[EMAIL] and [PHONE]');
    expect(r.redactions).toEqual([
      { type: 'email', start: 0, end: 7, source: { start: 0, end: 6 } },
      { type: 'phone', start: 12, end: 19, source: { start: 11, end: 24 } },
    ]);
    for (const x of r.redactions) expect(r.text.slice(x.start, x.end)).toBe(PII_PLACEHOLDERS[x.type]);
  });

  it('is idempotent: placeholders are never detected', () => {
    const once = redactPii('Mail a@b.io, call +82 10-1234-5678, card 4111 1111 1111 1111, ip 10.0.0.1').text;
    expect(redactPii(once)).toEqual({ text: once, redactions: [] });
  });
});

describe('PII in disguise: normalised before detection (issue 15)', () => {
  const fw = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))).replace(/-/g, '\uff0d');

  it('finds an RRN with a space, an en dash, any dash, full-width digits, or no separator', () => {
    for (const rrn of ['900101 1234567', '900101\u20131234567', '900101\u20141234567', '900101\u22121234567', '900101 - 1234567', '9001011234567', fw('900101-1234567'), '\u0669\u0660\u0660\u0661\u0660\u0661-\u0661\u0662\u0663\u0664\u0665\u0666\u0667']) {
      expect(redactPii(`My RRN is ${rrn}, thanks.`).text, rrn).toBe('My RRN is [KR_RRN], thanks.');
    }
  });

  it('finds phone numbers in full-width digits, with odd spaces and zero-width characters between the digits', () => {
    for (const phone of [fw('010-9876-5432'), '010\u00a09876\u00a05432', '010\u30009876\u30005432', '010\u200b9876\u200b5432', '010\u20139876\u20135432', '\uff0b82 10 9876 5432']) {
      expect(redactPii(`Call ${phone} today.`).text, phone).toBe('Call [PHONE] today.');
    }
  });

  it('finds emails spelled out to dodge filters, and leaves look-alikes alone', () => {
    expect(redactPii('My email is kim dot jiwoo at gmail dot com, thanks.').text).toBe('My email is [EMAIL], thanks.');
    expect(redactPii('Write to kim.jiwoo [at] naver [dot] com or minsu (at) example.co.kr.').text).toBe('Write to [EMAIL] or [EMAIL].');
    expect(redactPii('Mail john . doe (at) gmail dot com today.').text).toBe('Mail [EMAIL] today.');
    expect(redactPii('I was tired . I stayed at home.').text).toBe('I was tired . I stayed at home.');
    expect(redactPii('Please look at example.com for details.').text).toBe('Please look at example.com for details.');
    expect(redactPii('We met at the station at noon.').text).toBe('We met at the station at noon.');
    expect(redactPii('Put a dot at the end of the sentence.').text).toBe('Put a dot at the end of the sentence.');
  });

  it('finds emails with a full-width @ and cards with unusual separators', () => {
    expect(redactPii('Mail kim\uff20example.com now').text).toBe('Mail [EMAIL] now');
    expect(redactPii('Card 4111\u20131111\u20131111\u20131111.').text).toBe('Card [CREDIT_CARD].');
  });

  it('redacts the original text: what is not PII stays exactly as written, and offsets point into both texts', () => {
    const text = '전화: \uff10\uff11\uff10-\uff11\uff12\uff13\uff14-\uff15\uff16\uff17\uff18, I has ＡＢＣ.';
    const r = redactPii(text);
    expect(r.text).toBe('전화: [PHONE], I has ＡＢＣ.');
    const [x] = r.redactions;
    expect(r.text.slice(x.start, x.end)).toBe('[PHONE]');
    expect(text.slice(x.source!.start, x.source!.end)).toBe('\uff10\uff11\uff10-\uff11\uff12\uff13\uff14-\uff15\uff16\uff17\uff18');
  });

  it('finds Korean mobile and landline formats', () => {
    for (const phone of ['010-1234-5678', '01012345678', '011-123-4567', '02-123-4567', '02-1234-5678', '031-123-4567', '(031) 123 4567', '064.712.3456', '070-1234-5678', '82-10-1234-5678', '+82-2-123-4567']) {
      expect(types(`번호는 ${phone} 입니다`), phone).toEqual(['phone']);
    }
  });

  it('finds passport numbers: Korean formats anywhere, others when announced', () => {
    expect(redactPii('Passport M12345678 and M123A4567.').text).toBe('Passport [PASSPORT] and [PASSPORT].');
    expect(redactPii('My passport number is 123456789.').text).toBe('My passport number is [PASSPORT].');
    expect(redactPii('passport no. GB1234567 expires').text).toBe('passport no. [PASSPORT] expires');
    expect(redactPii('여권번호는 M12345678 입니다').text).toBe('여권번호는 [PASSPORT] 입니다');
    expect(types('Room 123456789 is on floor M3.')).toEqual([]);
  });

  it('finds IPv6 addresses, not times', () => {
    expect(redactPii('From 2001:db8::8a2e:370:7334 and fe80::1.').text).toBe('From [IP_ADDRESS] and [IP_ADDRESS].');
    expect(redactPii('Host 2001:0db8:85a3:0000:0000:8a2e:0370:7334 down').text).toBe('Host [IP_ADDRESS] down');
    expect(types('We met at 12:30:45 and the ratio was 3:2:1.')).toEqual([]);
  });
});

describe('names of people (opt-in, for text that meets an LLM)', () => {
  const withNames = { types: [...PATTERN_PII_TYPES, 'person_name'] as const };
  const names = (t: string) => detectPii(t, withNames).filter((s) => s.type === 'person_name').map((s) => t.slice(s.start, s.end));

  it('are not looked for by default', () => {
    expect(types('I met John Smith yesterday.')).toEqual([]);
  });

  it('finds names with compromise and the patterns for titles, self-introductions and Korean names', () => {
    expect(redactPii('I met John Smith yesterday and he go to school.', withNames).text).toBe('I met [NAME] yesterday and he go to school.');
    expect(names('Please tell Mr. Park that I will call him.')).toEqual(['Park']);
    expect(names('My name is Minji and I wants to learn.')).toEqual(['Minji']);
    expect(names('Lee Seo-yeon and Ji-hoon Lee went to the park.')).toEqual(['Lee Seo-yeon', 'Ji-hoon Lee']);
    expect(names('Dear Sarah, thank you.')).toEqual(['Sarah']);
  });

  it('recall and precision on a labelled list', () => {
    const labelled: [string, string[]][] = [
      ['John Smith called me yesterday.', ['John Smith']],
      ['I had lunch with Kim Minji.', ['Kim Minji']],
      ['Ask Dr. Kim Min-su about it.', ['Kim Min-su']],
      ['Call me Tom, please.', ['Tom']],
      ['My name is Ji-hoon Lee.', ['Ji-hoon Lee']],
      ['Sarah and David are my coworkers.', ['Sarah', 'David']],
      ['Mrs. Choi teaches English.', ['Choi']],
      ['Park Ji-sung played football.', ['Park Ji-sung']],
      ['I went to the park with my mother.', []],
      ['May I ask a question in May?', []],
      ['Will you come with me?', []],
      ['I visited New York and Seoul.', []],
      ['I ate kimchi at the Korean restaurant.', []],
      ['The store is open on Monday.', []],
    ];
    let hit = 0;
    let expected = 0;
    let falsePositives = 0;
    for (const [text, want] of labelled) {
      const got = names(text);
      expected += want.length;
      hit += want.filter((n) => got.some((g) => g.includes(n) || n.includes(g))).length;
      falsePositives += got.filter((g) => !want.some((n) => g.includes(n) || n.includes(g))).length;
    }
    expect(hit / expected).toBeGreaterThanOrEqual(0.9);
    expect(falsePositives).toBe(0);
  });

  it('a name found in one field of a sample is replaced in the others as a word only', () => {
    const r = redactSample(sample({ awkward: 'Kim eat kimchi every day.', corrected: 'Kim eats kimchi every day.', reason: '주어 Kim은 3인칭 단수입니다.' }), withNames);
    expect(r.sample.awkward).toBe('[NAME] eat kimchi every day.');
    expect(r.sample.reason).toBe('주어 [NAME]은 3인칭 단수입니다.');
  });
});

describe('check pii on a sample', () => {
  const withPii = sample({
    awkward: 'Please send it to minsu.kim@example.com or call 010-1234-5678 tomorrow.',
    corrected: 'Please send it to minsu.kim@example.com or call 010-1234-5678 tomorrow.',
  });

  it('redacts awkward, corrected and reason consistently, keeping the pair aligned', () => {
    const s = sample({
      awkward: 'He send mail to minsu.kim@example.com yesterday.',
      corrected: 'He sent mail to minsu.kim@example.com yesterday.',
      reason: 'minsu.kim@example.com에게 보낸 것은 과거의 일이므로 sent를 씁니다.',
    });
    const r = runCheapChecks(s, DEFAULT_VALIDATION_CONFIG);
    expect(r.status).toBe('accepted');
    expect(r.sample.awkward).toBe('He send mail to [EMAIL] yesterday.');
    expect(r.sample.corrected).toBe('He sent mail to [EMAIL] yesterday.');
    expect(r.sample.reason).toBe('[EMAIL]에게 보낸 것은 과거의 일이므로 sent를 씁니다.');
    expect(r.redactions).toEqual([
      { field: 'awkward', type: 'email', start: 16, end: 23, source: { start: 16, end: 37 } },
      { field: 'corrected', type: 'email', start: 16, end: 23, source: { start: 16, end: 37 } },
      { field: 'reason', type: 'email', start: 0, end: 7, source: { start: 0, end: 21 } },
    ]);
    for (const x of r.redactions) expect(r.sample[x.field].slice(x.start, x.end)).toBe('[EMAIL]');
  });

  it('replaces a value found in one field wherever it occurs in the others', () => {
    // In `corrected` the SSN is followed by "-A", so no detector sees it there; it is the same value.
    const s = sample({ awkward: 'My ID are 123-45-6789 now.', corrected: 'My ID is 123-45-6789-A now.' });
    expect(detectPii(s.corrected)).toEqual([]);
    const r = redactSample(s);
    expect(r.sample.awkward).toBe('My ID are [US_SSN] now.');
    expect(r.sample.corrected).toBe('My ID is [US_SSN]-A now.');
    expect(r.redactions.map((x) => [x.field, x.type])).toEqual([
      ['awkward', 'us_ssn'],
      ['corrected', 'us_ssn'],
    ]);
  });

  it('policy reject: rejects with code pii, naming types and fields but not the values, and still redacts', () => {
    const config = parseValidationConfig({ pii: { policy: 'reject' } });
    const r = runCheapChecks({ ...withPii, corrected: 'Please send it to minsu.kim@example.com or call 010-1234-5678 tomorrow!' }, config);
    expect(r.status).toBe('rejected');
    expect(r.reasons).toEqual([expect.objectContaining({ code: 'pii', detail: 'PII (email, phone) in awkward, corrected' })]);
    expect(JSON.stringify(r.reasons)).not.toContain('minsu');
    expect(r.sample.awkward).not.toContain('minsu.kim@example.com');
    expect(r.redactions).toHaveLength(4);
  });

  it('policy reject: a sample redacted before it was stored (placeholders in it) is rejected too', () => {
    const stored = redactSample(sample({ awkward: 'Mail me at kim@example.com please.', corrected: 'Email me at kim@example.com, please.' })).sample;
    const r = runCheapChecks(stored, parseValidationConfig({ pii: { policy: 'reject' } }));
    expect(r.status).toBe('rejected');
    expect(r.reasons).toEqual([expect.objectContaining({ code: 'pii', detail: 'PII (email) in awkward, corrected' })]);
    expect(runCheapChecks(stored, DEFAULT_VALIDATION_CONFIG).status).toBe('accepted');
  });

  it('policy redact (default): accepts the redacted sample', () => {
    const r = runCheapChecks({ ...withPii, corrected: 'Please send it to minsu.kim@example.com or call 010-1234-5678 tomorrow!' }, DEFAULT_VALIDATION_CONFIG);
    expect(r.status).toBe('accepted');
    expect(r.sample.corrected).toBe('Please send it to [EMAIL] or call [PHONE] tomorrow!');
  });

  it('only looks for the configured types', () => {
    const r = runCheapChecks({ ...withPii, corrected: withPii.corrected.replace('.', '!') }, parseValidationConfig({ pii: { types: ['email'] } }));
    expect(r.sample.awkward).toBe('Please send it to [EMAIL] or call 010-1234-5678 tomorrow.');
  });
});

describe('PII properties', () => {
  const word = fc.stringMatching(/^[A-Za-z가-힣]{1,8}$/);
  const text = fc.array(word, { maxLength: 6 }).map((ws) => ws.join(' '));
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
  const email = fc
    .tuple(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._%+-]{0,15}$/), fc.array(label, { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[a-z]{2,6}$/))
    .map(([local, labels, tld]) => `${local}@${labels.join('.')}.${tld}`);
  const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
  const krPhone = fc
    .tuple(fc.constantFrom('010', '011', '016', '02', '031', '051', '064'), digits(3), digits(4), digits(4), fc.constantFrom('-', ' ', '.', ''))
    .map(([p, m3, m4, l, sep]) => `${p}${sep}${p === '02' ? m3 : m4}${sep}${l}`);
  const intlPhone = fc
    .tuple(fc.constantFrom('+82', '+1', '+44', '+81', '+49'), digits(2), digits(4), digits(4), fc.constantFrom('-', ' ', '.'))
    .map(([cc, a, b, c, sep]) => `${cc} ${a}${sep}${b}${sep}${c}`);
  const usPhone = fc.tuple(digits(3), digits(3), digits(4)).map(([a, b, c]) => `(${a}) ${b}-${c}`);
  const pii = fc.oneof(email, krPhone, intlPhone, usPhone);

  it('redactPii output never contains the original email or phone number', () => {
    fc.assert(
      fc.property(text, pii, text, fc.constantFrom(' ', ', ', ': ', ' (', '\t'), (before, value, after, sep) => {
        const input = `${before}${sep}${value}${sep === ' (' ? ')' : ' '}${after}`;
        const out = redactPii(input);
        expect(out.text).not.toContain(value);
        expect(out.redactions.length).toBeGreaterThanOrEqual(1);
        for (const r of out.redactions) expect(out.text.slice(r.start, r.end)).toBe(PII_PLACEHOLDERS[r.type]);
      }),
      { numRuns: 500 },
    );
  });

  it('redaction is idempotent and leaves PII-free text untouched', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const once = redactPii(s);
        expect(redactPii(once.text).text).toBe(once.text);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(text, (s) => {
        expect(redactPii(s)).toEqual({ text: s, redactions: [] });
      }),
    );
  });

  it('redacting a sample keeps awkward and corrected aligned: same placeholders in the same order', () => {
    fc.assert(
      fc.property(text, pii, text, (before, value, after) => {
        const s = sample({ awkward: `${before} he send ${value} ${after}`, corrected: `${before} he sent ${value} ${after}` });
        const r = redactSample(s);
        const ph = (t: string) => t.match(/\[[A-Z_]+\]/g) ?? [];
        expect(ph(r.sample.awkward)).toEqual(ph(r.sample.corrected));
        expect(ph(r.sample.awkward).length).toBeGreaterThan(0);
        expect(r.sample.awkward.replace(' send ', ' sent ')).toBe(r.sample.corrected);
      }),
      { numRuns: 300 },
    );
  });
});
