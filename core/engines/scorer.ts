/**
 * The trained edit scorer: gradient-boosted trees (LightGBM, fitted by trainer/scorer.py in the
 * `train` stage) over the features of ./features, evaluated here in TypeScript. A model file is
 * small JSON:
 *   { format: "correctly-edit-scorer", version: 1, features: [names…], threshold,
 *     booster: <LightGBM dump_model()>, training: {…}, metrics: {…} }
 * The trees are boosted from the hand-set prior: the probability that an option moves the sentence
 * toward what a teacher would write is sigmoid(logit(prior score) + Σ tree outputs), so where the
 * training data says nothing the prior's precision-first view stands. Options at or above
 * `threshold` (chosen on the validation split) are applied.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { clusterFeatures, isKnownFeature, vectorOf } from './features';
import type { Cluster, EditScorer } from './merge';

export const SCORER_FORMAT = 'correctly-edit-scorer';
export const SCORER_VERSION = 1;

interface Split {
  split_feature: number;
  threshold: number;
  decision_type: string;
  default_left?: boolean;
  missing_type?: string;
  left_child: Node;
  right_child: Node;
}
interface Leaf {
  leaf_value: number;
}
type Node = Split | Leaf;

const nodeSchema: z.ZodType<Node> = z.lazy(() =>
  z.union([
    z.object({ leaf_value: z.number() }).loose(),
    z
      .object({
        split_feature: z.number().int().nonnegative(),
        threshold: z.number(),
        decision_type: z.literal('<=', { error: 'only numeric "<=" splits are supported (no categorical features)' }),
        default_left: z.boolean().optional(),
        missing_type: z.string().optional(),
        left_child: nodeSchema,
        right_child: nodeSchema,
      })
      .loose(),
  ]),
) as z.ZodType<Node>;

export const scorerModelSchema = z.object({
  format: z.literal(SCORER_FORMAT, { error: `not an edit scorer model (format must be "${SCORER_FORMAT}")` }),
  version: z.literal(SCORER_VERSION, { error: `unsupported edit scorer version (this build reads version ${SCORER_VERSION})` }),
  features: z.array(z.string().min(1)).min(1),
  threshold: z.number().min(0).max(1),
  /** Where the trees start: the logit of the prior scorer's score, clipped to [lo, hi] (the trees learn corrections to it). */
  init: z.object({ from: z.literal('prior_score', { error: 'the trees must start from the prior score' }), clip: z.tuple([z.number().gt(0).lt(0.5), z.number().gt(0.5).lt(1)]) }),
  booster: z
    .object({
      objective: z.string().startsWith('binary', { error: 'the booster must be a binary classifier' }),
      max_feature_idx: z.number().int().nonnegative(),
      tree_info: z.array(z.object({ tree_structure: nodeSchema }).loose()),
    })
    .loose(),
  training: z.record(z.string(), z.unknown()).default({}),
  metrics: z.record(z.string(), z.number()).default({}),
});
export type ScorerModelJSON = z.infer<typeof scorerModelSchema>;

export class ScorerModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScorerModelError';
  }
}

function predictTree(node: Node, x: readonly number[]): number {
  let n = node;
  while ('split_feature' in n) {
    const v = x[n.split_feature];
    const left = Number.isNaN(v) && n.missing_type && n.missing_type !== 'None' ? n.default_left !== false : v <= n.threshold;
    n = left ? n.left_child : n.right_child;
  }
  return n.leaf_value;
}

export class TrainedScorer implements EditScorer {
  readonly name = 'trained';
  readonly threshold: number;
  private readonly sigmoid: number;
  private readonly priorIndex: number;

  constructor(readonly model: ScorerModelJSON) {
    this.threshold = model.threshold;
    this.priorIndex = model.features.indexOf('prior_score');
    this.sigmoid = Number(/sigmoid:([\d.]+)/.exec(model.booster.objective)?.[1] ?? 1);
  }

  /** Parses a model (object or JSON text); a bad model throws ScorerModelError saying what is wrong. */
  static fromJSON(json: unknown): TrainedScorer {
    let value = json;
    if (typeof json === 'string') {
      try {
        value = JSON.parse(json);
      } catch (e) {
        throw new ScorerModelError(`edit scorer model is not valid JSON: ${(e as Error).message.replace(/\s+/g, ' ')}`);
      }
    }
    const parsed = scorerModelSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ScorerModelError(`invalid edit scorer model${issue.path.length ? ` at ${issue.path.slice(0, 4).join('.')}` : ''}: ${issue.message}`);
    }
    const m = parsed.data;
    if (!m.features.includes('prior_score')) throw new ScorerModelError('edit scorer model: the features must include prior_score (the trees start from it)');
    const unknown = m.features.filter((f) => !isKnownFeature(f));
    if (unknown.length) throw new ScorerModelError(`edit scorer model uses features this build cannot compute: ${unknown.slice(0, 5).join(', ')}`);
    if (m.booster.max_feature_idx !== m.features.length - 1) {
      throw new ScorerModelError(`edit scorer model: the booster has ${m.booster.max_feature_idx + 1} features but the model lists ${m.features.length}`);
    }
    return new TrainedScorer(m);
  }

  /** P(apply) of one feature vector (in the model's feature order). */
  probability(x: readonly number[]): number {
    const [lo, hi] = this.model.init.clip;
    const p = Math.min(hi, Math.max(lo, x[this.priorIndex]));
    let raw = Math.log(p / (1 - p));
    for (const t of this.model.booster.tree_info) raw += predictTree(t.tree_structure, x);
    return 1 / (1 + Math.exp(-this.sigmoid * raw));
  }

  scoreCluster(text: string, cluster: Cluster): number[] {
    return clusterFeatures(text, cluster).map((f) => this.probability(vectorOf(f, this.model.features)));
  }
}

/** Reads a scorer model file; a missing file or a bad model throws ScorerModelError. */
export function loadScorer(path: string): TrainedScorer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ScorerModelError(`edit scorer model ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
  try {
    return TrainedScorer.fromJSON(text);
  } catch (e) {
    if (e instanceof ScorerModelError) throw new ScorerModelError(`${path}: ${e.message}`);
    throw e;
  }
}
