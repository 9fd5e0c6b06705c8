/**
 * Text similarity for repeat detection (重复信访) and hotspots: the jieba words of two texts
 * (search mode, domain/search-text.ts), without function words and single characters, compared
 * as sets. The score is the overlap coefficient blended with cosine, so that a petition restated
 * with a sentence added (its words a superset) still scores high, while two petitions that only
 * share the vocabulary of a category (工资, 拖欠) do not.
 */
import { indexTokens } from './search-text.js';

/** Words too common in petitions to tell one matter from another. */
const stopWords = new Set([
  '我们', '本人', '你们', '他们', '请求', '要求', '反映', '处理', '问题', '情况', '相关', '有关', '部门', '领导',
  '希望', '尽快', '解决', '一直', '至今', '多次', '没有', '已经', '现在', '目前', '但是', '因为', '所以', '如果',
  '这个', '那个', '什么', '怎么', '可以', '能够', '进行', '给予', '帮助', '谢谢', '感谢', '政府', '信访', '投诉',
  '严重', '影响', '还是', '仍然', '依然', '一个', '自己', '以及', '并且', '而且', '或者', '关于', '对于', '由于',
]);

/** The distinguishing words of a petition's title and content. */
export function similarityTokens(...texts: (string | null | undefined)[]): Set<string> {
  return distinguishingWords(indexTokens(...texts));
}

/** The distinguishing words among a text's index words (indexTokens): no single characters but numbers, no stop words. */
export function distinguishingWords(words: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const t of words) {
    if ([...t].length < 2 && !/^\d+$/.test(t)) continue;
    if (stopWords.has(t)) continue;
    out.add(t);
  }
  return out;
}

/** Similarity of two token sets in [0, 1]: mean of the overlap coefficient and the cosine. */
export function tokenSimilarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) inter++;
  const overlap = inter / small.size;
  const cosine = inter / Math.sqrt(a.size * b.size);
  return Math.round(((overlap + cosine) / 2) * 1000) / 1000;
}

/** Similarity of two petitions (title and content each). */
export function textSimilarity(a: { title: string; content: string }, b: { title: string; content: string }): number {
  return tokenSimilarity(similarityTokens(a.title, a.content), similarityTokens(b.title, b.content));
}

export interface DetectorFigures {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  precision: number;
  recall: number;
}

/** Precision and recall of a threshold over labelled pairs. */
export function evaluateDetector(pairs: { score: number; same: boolean }[], threshold: number): DetectorFigures {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const p of pairs) {
    const flagged = p.score >= threshold;
    if (flagged && p.same) tp++;
    else if (flagged) fp++;
    else if (p.same) fn++;
    else tn++;
  }
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    trueNegatives: tn,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
  };
}
