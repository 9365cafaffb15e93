/**
 * The ensemble engine: candidate edits from Harper and LanguageTool (a real server, started once
 * for the run by test/support/global-languagetool.ts), one merge step, precision vetoes and
 * explanations. Each unit is checked on hand-made input, the whole on sentences.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../config/paths';
import { type Candidate, editKey, harperCandidates, languageToolCandidates, learnerCandidates, minimise } from '../../core/engines/candidates';
import { ENSEMBLE_LANGUAGETOOL_RULES, EnsembleCorrector } from '../../core/engines/ensemble';
import { HarperCorrector, lintEditType, type RawLint } from '../../core/engines/harper';
import { ensembleLanguageTool, LanguageToolClient, LanguageToolError, type LanguageToolMatch } from '../../adapters/languagetool';
import { clusterCandidates, selectEdits, supportBySystem } from '../../core/engines/merge';
import { looksRomanisedKorean, protectedSpans, veto } from '../../core/engines/precision';
import { PriorScorer } from '../../core/engines/prior-scorer';
import { explainEdit } from '../../core/engines/reasons';
import { applyEdits, correctionSchema, type Correction } from '../../core/engines/types';

const lint = (l: Partial<RawLint> & Pick<RawLint, 'start' | 'end'>): RawLint => ({ rule: 'R', kind: 'Grammar', problem: '', message: 'm', suggestions: [], ...l });
const match = (m: Partial<LanguageToolMatch> & Pick<LanguageToolMatch, 'start' | 'end' | 'replacements'>): LanguageToolMatch => ({
  rule: 'RULE',
  ruleId: 'RULE',
  category: 'GRAMMAR',
  issueType: 'grammar',
  message: 'm',
  shortMessage: '',
  ...m,
});

function checkOffsets(c: Correction) {
  correctionSchema.parse(c);
  for (const e of c.edits) expect(c.input.slice(e.start, e.end)).toBe(e.before);
  expect(applyEdits(c.input, c.edits)).toBe(c.corrected);
}

describe('candidate edits', () => {
  it('one candidate per suggestion, reduced to the words that change', () => {
    const text = 'He don\'t like it.';
    const h = harperCandidates(text, [lint({ rule: 'PronounVerbAgreement', kind: 'Agreement', start: 3, end: 8, suggestions: [{ kind: 'replace', text: "doesn't" }] })], lintEditType);
    expect(h).toHaveLength(1);
    expect(h[0]).toMatchObject({ system: 'harper', rule: 'PronounVerbAgreement', before: "don't", after: "doesn't", rank: 0, type: 'agreement' });
    const l = languageToolCandidates(text, [match({ rule: 'HE_VERB_AGR[1]', ruleId: 'HE_VERB_AGR', start: 3, end: 5, replacements: ['does', 'did'] })]);
    expect(l.map((c) => [c.after, c.rank, c.alternatives])).toEqual([['does', 0, 2], ['did', 1, 2]]);
    expect(minimise('I am agree.', 2, 10, 'agree')).toEqual({ start: 2, end: 5, after: '' });
    expect(minimise('the agree', 4, 9, 'agreed')).toEqual({ start: 4, end: 9, after: 'agreed' });
  });

  it('the same change from two systems is one option supported by both', () => {
    const text = "He don't like it.";
    const cands = [
      ...harperCandidates(text, [lint({ rule: 'PronounVerbAgreement', kind: 'Agreement', start: 3, end: 8, suggestions: [{ kind: 'replace', text: "doesn't" }] })], lintEditType),
      ...languageToolCandidates(text, [match({ rule: 'HE_VERB_AGR[1]', ruleId: 'HE_VERB_AGR', start: 3, end: 5, replacements: ['does', 'did'] })]),
    ];
    const clusters = clusterCandidates(text, cands);
    expect(clusters).toHaveLength(1);
    const does = clusters[0].options.find((o) => o.after === 'does')!;
    expect([...supportBySystem(does).keys()].sort()).toEqual(['harper', 'languagetool']);
    const { applied } = selectEdits(text, clusters, new PriorScorer());
    expect(applied).toHaveLength(1);
    expect(applyEdits(text, applied)).toBe("He doesn't like it.");
    expect(editKey(applied[0])).toBe(editKey(does));
  });

  it("a common misspelling's known correction wins the spelling choice, but only where a spell checker flags the word", () => {
    const text = 'He teached me.';
    const spell = languageToolCandidates(text, [match({ rule: 'MORFOLOGIK_RULE_EN_US', ruleId: 'MORFOLOGIK_RULE_EN_US', category: 'TYPOS', start: 3, end: 10, replacements: ['reached', 'teaches', 'taught'] })]);
    const known = learnerCandidates(text);
    expect(known.map((c) => [c.rule, c.after])).toEqual([['LEARNER_COMMON_MISSPELLING', 'taught']]);
    // by distance alone the spell checker's nearest word wins
    expect(applyEdits(text, selectEdits(text, clusterCandidates(text, spell), new PriorScorer()).applied)).toBe('He reached me.');
    expect(applyEdits(text, selectEdits(text, clusterCandidates(text, [...spell, ...known]), new PriorScorer()).applied)).toBe('He taught me.');
    // unflagged, the list alone changes nothing
    expect(selectEdits(text, clusterCandidates(text, known), new PriorScorer()).applied).toEqual([]);
  });

  it('style advice from one system alone is not applied; a second opinion makes it', () => {
    const text = 'It was a very unique day.';
    const style = languageToolCandidates(text, [match({ rule: 'EXTREME_ADJECTIVES', ruleId: 'EXTREME_ADJECTIVES', category: 'STYLE', start: 9, end: 20, replacements: ['unique'] })]);
    expect(selectEdits(text, clusterCandidates(text, style), new PriorScorer()).applied).toHaveLength(0);
    const harper = harperCandidates(text, [lint({ kind: 'Redundancy', start: 9, end: 20, suggestions: [{ kind: 'replace', text: 'unique' }] })], lintEditType);
    expect(selectEdits(text, clusterCandidates(text, [...style, ...harper]), new PriorScorer()).applied).toHaveLength(1);
  });
});

describe('precision vetoes', () => {
  const spell = (text: string, before: string, after: string, system: Candidate['system'] = 'languagetool'): Candidate => {
    const start = text.indexOf(before);
    return { system, rule: system === 'harper' ? 'SpellCheck' : 'MORFOLOGIK_RULE_EN_US', ruleCategory: 'TYPOS', type: 'spelling', message: '', start, end: start + before.length, before, after, rank: 0, alternatives: 1, flagged: { start, end: start + before.length } };
  };
  const why = (text: string, c: Candidate) => veto(text, c, protectedSpans(text));

  it('names, romanised Korean, acronyms, mixed case and placeholders are never spell-corrected', () => {
    expect(why('I met Minsu yesterday.', spell('I met Minsu yesterday.', 'Minsu', 'Minus'))).toBe('proper_noun');
    expect(why('Jiwoo is my friend.', spell('Jiwoo is my friend.', 'Jiwoo', 'Woo'))).toBe('korean_word');
    expect(why('We met at KAIST.', spell('We met at KAIST.', 'KAIST', 'WAIST'))).toBe('acronym');
    expect(why('We use GitHub daily.', spell('We use GitHub daily.', 'GitHub', 'Github'))).toBe('mixed_case');
    expect(why('Mail [EMAIL] now.', spell('Mail [EMAIL] now.', 'EMAIL', 'E-MAIL'))).toBe('protected_span');
    expect(why('See www.coupang.com now.', spell('See www.coupang.com now.', 'coupang', 'coupon'))).toBe('protected_span');
    expect(why('Room B204 is free.', spell('Room B204 is free.', 'B204', 'B2B'))).toBe('protected_span');
    expect(why('We ate tteokbokki.', spell('We ate tteokbokki.', 'tteokbokki', 'toboggan'))).toBe('korean_word');
    expect(why('We ate kimbap.', spell('We ate kimbap.', 'kimbap', 'IMAP'))).toBe('proper_noun');
    // a title's period ends no sentence: the name after it is mid-sentence
    expect(why('He met Mr. Bacchan.', spell('He met Mr. Bacchan.', 'Bacchan', 'Barman'))).toBe('proper_noun');
    expect(why('Books, films etc. are fun.', spell('Books, films etc. are fun.', 'etc', 'enc'))).toBe('protected_span');
  });

  it('a split needs two common words; ordinary misspellings pass', () => {
    expect(why('I need informations.', spell('I need informations.', 'informations', 'in formations', 'harper'))).toBe('unsafe_split');
    expect(why('Thank you for your advices.', spell('Thank you for your advices.', 'advices', 'adv ices', 'harper'))).toBe('unsafe_split');
    expect(why('I like it alot.', spell('I like it alot.', 'alot', 'a lot'))).toBeNull();
    expect(why('I made a mistake in the begining.', spell('I made a mistake in the begining.', 'begining', 'beginning'))).toBeNull();
    expect(why('We studied english.', spell('We studied english.', 'english', 'English'))).toBeNull();
    expect(looksRomanisedKorean('Seoyeon')).toBe(true);
    expect(looksRomanisedKorean('Because')).toBe(false);
  });
});

describe('explanations', () => {
  it('name the words and the category, in Korean and English', () => {
    const article = { type: 'article' as const, before: 'a', after: 'an', context: { left: 'I ate ', right: ' apple.' } };
    expect(explainEdit(article, 'ko')).toBe("관사: 'a' → 'an' — 'apple'은(는) 모음 소리로 시작하므로 'a' 대신 'an'을 씁니다.");
    expect(explainEdit(article, 'en')).toBe("Article: 'a' → 'an' — Use 'an' before a vowel sound: 'an apple'.");
    const agree = { type: 'agreement' as const, before: 'go', after: 'goes', context: { left: 'He ', right: ' to school.' } };
    expect(explainEdit(agree, 'en')).toContain("third-person singular subject ('He')");
    expect(explainEdit(agree, 'ko')).toContain("주어 'He'");
    const spelling = { type: 'spelling' as const, before: 'recieve', after: 'receive', message: 'Possible spelling mistake found.' };
    expect(explainEdit(spelling, 'en')).toBe("Spelling: 'recieve' → 'receive' — 'recieve' is misspelled; the correct spelling is 'receive'.");
    expect(explainEdit(spelling, 'en')).not.toContain('Possible spelling mistake');
    expect(explainEdit({ type: 'preposition', before: 'in', after: 'on', context: { left: 'see you ', right: ' Monday.' } }, 'ko')).toContain("요일·날짜 앞에는 'on'");
    const stop = { type: 'punctuation' as const, before: '', after: '.', context: { left: 'We must trust ourselves', right: '' } };
    expect(explainEdit(stop, 'en')).toBe("Punctuation: add '.' — A sentence ends with a full stop.");
    expect(explainEdit(stop, 'ko')).toContain('마침표');
    expect(explainEdit({ type: 'punctuation', before: '', after: ',', context: { left: 'I went to Kyoto', right: ' which is beautiful.' } }, 'ko')).toContain("'which'(계속적 용법) 앞에는 쉼표");
    expect(explainEdit({ type: 'spelling', before: 'u', after: 'you', context: { left: 'I think ', right: ' will agree.' } }, 'en')).toBe("Spelling: 'u' → 'you' — 'u' is chat shorthand: in writing, 'you'.");
  });
});

describe('EnsembleCorrector with a real LanguageTool server', () => {
  let ensemble: EnsembleCorrector;
  beforeAll(async () => {
    ensemble = new EnsembleCorrector({ languagetool: ensembleLanguageTool(inject('languagetoolUrl')) });
    await ensemble.init();
  });
  afterAll(async () => {
    await ensemble.close();
  });

  it('fixes what either system finds, names each edit and leaves names alone', async () => {
    const c = await ensemble.correct("I am agree with you, but he don't like informations about Daegu.", { reasonLanguage: 'en' });
    checkOffsets(c);
    expect(c.corrected).toBe("I agree with you, but he doesn't like information about Daegu.");
    expect(c.systems).toEqual(['harper', 'languagetool', 'learner']);
    expect(c.engine).toBe('ensemble');
    expect(c.edits.map((e) => e.type)).toEqual(['verb_form', 'agreement', 'plural']);
    for (const e of c.edits) expect(e.reason).toMatch(new RegExp(`'${e.before.trim() || e.after.trim()}'`));
  });

  it('says that the model found no error when nothing changes', async () => {
    const ko = await ensemble.correct('Jiwoo and Minsu visited Jeju Island last summer.');
    expect(ko.edits).toEqual([]);
    expect(ko.corrected).toBe(ko.input);
    expect(ko.reason).toBe('모델이 이 문장에서 오류를 찾지 못했습니다.');
    expect((await ensemble.correct('I live in Daegu.', { reasonLanguage: 'en' })).reason).toBe('The model found no error in this sentence.');
  });

  it('keeps correcting without LanguageTool when it is down, and says so', async () => {
    const down = new EnsembleCorrector({ languagetool: new LanguageToolClient('http://127.0.0.1:9', { timeoutMs: 2000 }) });
    await down.init();
    try {
      const c = await down.correct('She have a red car.');
      expect(c.corrected).toBe('She has a red car.');
      expect(c.systems).toEqual(['harper', 'learner']);
      expect(c.unavailable?.[0]).toMatch(/^languagetool: LanguageTool at http:\/\/127\.0\.0\.1:9 is unreachable/);
    } finally {
      await down.close();
    }
  });

  it('LanguageTool client: health, and a clear error for a server that is not LanguageTool', async () => {
    expect(await new LanguageToolClient(inject('languagetoolUrl')).healthy()).toBe(true);
    expect(await new LanguageToolClient('http://127.0.0.1:9', { timeoutMs: 1000 }).healthy()).toBe(false);
    await expect(new LanguageToolClient('http://127.0.0.1:9', { timeoutMs: 1000 }).check('x')).rejects.toBeInstanceOf(LanguageToolError);
  });

  it('the LanguageTool rules it would turn on flag none of the 1,794 correct texts of the Text Repository', async () => {
    const texts = ['texts.json', 'texts-more.json'].flatMap((f) => (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'entities/seed', f), 'utf8')) as { text: string }[]).map((t) => t.text));
    expect(texts.length).toBeGreaterThan(1700);
    // only those rules run (LanguageTool's enabledOnly): the check costs seconds, not the defaults' half minute
    const lt = new LanguageToolClient(inject('languagetoolUrl'), { timeoutMs: 60_000, enabledRules: ENSEMBLE_LANGUAGETOOL_RULES, enabledOnly: true });
    const turnedOn = new Set(ENSEMBLE_LANGUAGETOOL_RULES);
    const flagged: string[] = [];
    // fifty texts a request, one paragraph each (every rule here reads one sentence or a paragraph's end)
    for (let i = 0; i < texts.length; i += 50) {
      const batch = texts.slice(i, i + 50).join('\n\n');
      for (const m of await lt.check(batch)) if (turnedOn.has(m.ruleId)) flagged.push(`${m.ruleId}: ${batch.slice(m.start, m.end)}`);
    }
    expect(flagged).toEqual([]);
  });

  it('against Harper alone, on sentences Harper gets wrong', async () => {
    const harper = new HarperCorrector();
    try {
      // Harper's misfire is vetoed or outvoted; the learner rules fix what Harper botched
      for (const [text, want] of [['Where you are going?', 'Where are you going?'], ['Thank you for your advices.', 'Thank you for your advice.'], ['I live in Daegu with my family.', 'I live in Daegu with my family.']]) {
        expect((await harper.correct(text)).corrected).not.toBe(text);
        expect((await ensemble.correct(text)).corrected).toBe(want);
      }
    } finally {
      await harper.close();
    }
  });
});
