/**
 * @heed/datasets/emoji — emoji labels of emojibase-data@17 in 28 locales, as phrase pairs
 * (translation) or group/subgroup labels (classification), with fixed splits. Browser-safe.
 */
import { splitByHash, type Split } from "@heed/data";
import { describeValue } from "@heed/tensor-core";

/** The fields of an emojibase-data `<locale>/data.json` record that Heed uses. */
export interface EmojiRecord {
  hexcode: string;
  label: string;
  emoji?: string;
  group?: number;
  subgroup?: number;
  /** Skin-tone variants (their own hexcode and label), where the emoji has them. */
  skins?: readonly EmojiRecord[];
}

/** The 28 locales of emojibase-data@17. */
export const EMOJI_LOCALES = [
  "bn", "da", "de", "en", "en-gb", "es", "es-mx", "et", "fi", "fr", "hi", "hu", "it", "ja",
  "ko", "lt", "ms", "nb", "nl", "pl", "pt", "ru", "sv", "th", "uk", "vi", "zh", "zh-hant",
] as const;
export type EmojiLocale = (typeof EMOJI_LOCALES)[number];

export function checkEmojiLocale(name: string, locale: string): asserts locale is EmojiLocale {
  if (typeof locale !== "string") throw new Error(`${name}: expected a locale name (one of ${EMOJI_LOCALES.join(", ")}), got ${describeValue(locale)}`);
  if (!(EMOJI_LOCALES as readonly string[]).includes(locale)) {
    throw new Error(`${name}: unknown locale '${locale}' (emojibase-data has ${EMOJI_LOCALES.join(", ")})`);
  }
}

/** A phrase and its translation, from the same emoji's labels in two locales. */
export interface PhrasePair {
  hexcode: string;
  emoji: string;
  source: string;
  target: string;
}

/**
 * Join two locales' records on `hexcode` into (source, target) label pairs, in source order,
 * skipping records without a label in either locale; then split by FNV-1a of the hexcode
 * (5 % test, 5 % valid), so an emoji lands in the same part for every locale pair.
 *
 * @example
 * import en from "emojibase-data/en/data.json" with { type: "json" };
 * import zh from "emojibase-data/zh/data.json" with { type: "json" };
 * const { train } = emojiPairsFromRecords(en, zh); // { source: "grinning face", target: "嘿嘿", … }
 */
export function emojiPairsFromRecords(source: readonly EmojiRecord[], target: readonly EmojiRecord[]): Split<PhrasePair> {
  const byHex = new Map(target.map((r) => [r.hexcode, r]));
  const pairs: PhrasePair[] = [];
  for (const s of source) {
    const t = byHex.get(s.hexcode);
    if (t === undefined || !s.label || !t.label) continue;
    pairs.push({ hexcode: s.hexcode, emoji: s.emoji ?? "", source: s.label, target: t.label });
  }
  return splitByHash(pairs, (p) => p.hexcode);
}

/** A skin-tone variant's label pair: `hexcode` is the variant's, `base` the emoji's it belongs to. */
export interface VariantPair extends PhrasePair {
  base: string;
}

/**
 * The skin-tone variants' labels of two locales ("waving hand: light skin tone" → "挥手: 较浅肤色"),
 * joined on the variant's hexcode and split by FNV-1a of the **base** emoji's hexcode, so every
 * variant lands in its emoji's part of `emojiPairsFromRecords` (the variants of a validation or
 * test emoji are never in `train`). The base labels themselves are not repeated here.
 *
 * @example
 * const { train } = emojiVariantPairsFromRecords(en, zh); // { base: "1F44B", source: "waving hand: light skin tone", … }
 */
export function emojiVariantPairsFromRecords(source: readonly EmojiRecord[], target: readonly EmojiRecord[]): Split<VariantPair> {
  const byHex = new Map(target.flatMap((r) => r.skins ?? []).map((r) => [r.hexcode, r]));
  const pairs: VariantPair[] = [];
  for (const s of source) {
    for (const v of s.skins ?? []) {
      const t = byHex.get(v.hexcode);
      if (t === undefined || !v.label || !t.label) continue;
      pairs.push({ hexcode: v.hexcode, base: s.hexcode, emoji: v.emoji ?? "", source: v.label, target: t.label });
    }
  }
  return splitByHash(pairs, (p) => p.base);
}

/** A labelled phrase for text classification. */
export interface LabelledPhrase {
  hexcode: string;
  text: string;
  /** Index into `groupNames`. */
  group: number;
  /** Index into `subgroupNames`. */
  subgroup: number;
}

export interface EmojiClassification extends Split<LabelledPhrase> {
  groupNames: string[];
  subgroupNames: string[];
}

/** The `groups` / `subgroups` tables of emojibase-data's `meta/groups.json`. */
export interface EmojiGroupsMeta {
  groups: Readonly<Record<string, string>>;
  subgroups: Readonly<Record<string, string>>;
}

function names(name: string, table: Readonly<Record<string, string>>): string[] {
  const keys = Object.keys(table).map(Number).sort((a, b) => a - b);
  keys.forEach((k, i) => {
    if (k !== i) throw new Error(`${name}: group ids must be 0..n-1, found ${k} at position ${i}`);
  });
  return keys.map((k) => table[k]!);
}

/**
 * Labels → (group, subgroup) classification examples (records without a group, such as the
 * regional indicator letters, are skipped), split by FNV-1a of the hexcode.
 */
export function emojiClassificationFromRecords(records: readonly EmojiRecord[], meta: EmojiGroupsMeta): EmojiClassification {
  const groupNames = names("emojiClassificationFromRecords", meta.groups);
  const subgroupNames = names("emojiClassificationFromRecords", meta.subgroups);
  const items: LabelledPhrase[] = [];
  for (const r of records) {
    if (r.group === undefined || r.subgroup === undefined || !r.label) continue;
    items.push({ hexcode: r.hexcode, text: r.label, group: r.group, subgroup: r.subgroup });
  }
  return { ...splitByHash(items, (p) => p.hexcode), groupNames, subgroupNames };
}
