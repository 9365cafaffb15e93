/**
 * Learner rules for word order: a question that keeps the statement's order ("Where you are
 * going?").
 */
import { type Rule, BE, SUBJECT_PRONOUNS, WH, isQuestion } from './context';

/** "Where you are going?" → "Where are you going?": a question puts the verb before the subject. */
export const questionWordOrder: Rule = (c) => {
  if (!isQuestion(c) || !WH.has(c.low[0])) return [];
  // "What time it is", "Which bus it is": one word may follow the question word
  const s = (c.low[0] === 'what' || c.low[0] === 'which') && SUBJECT_PRONOUNS.has(c.low[2]) && BE.has(c.low[3]) ? 2 : 1;
  const subj = c.low[s];
  const verb = c.low[s + 1];
  if (!SUBJECT_PRONOUNS.has(subj) || !BE.has(verb ?? '')) return [];
  const a = c.tokens[s];
  const b = c.tokens[s + 1];
  return [{ rule: 'LEARNER_QUESTION_ORDER', type: 'word_order', start: a.start, end: b.end, after: `${b.text} ${a.text}`, message: `A question puts the verb before the subject: "${b.text} ${a.text}", not "${a.text} ${b.text}".`, prior: 0.8 }];
};
