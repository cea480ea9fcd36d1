interface Frame {
  /** Keys seen so far (null for an array). */
  keys: Set<string> | null;
  expectKey: boolean;
  /** Where this object is, for the error: "the top level" or "'name'". */
  where: string;
}

/**
 * The first key that appears twice in one object of a JSON text, with where it is, or null.
 * `JSON.parse` keeps the last of two equal keys silently; a safetensors header must not have any
 * (two entries for one tensor name would make the file mean two things). `text` must already be
 * valid JSON (parse it first): this scanner only tracks strings, nesting and commas.
 */
export function duplicateKey(text: string): { key: string; where: string } | null {
  const stack: Frame[] = [];
  let lastKey = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c /* \ */ ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return { key, where: top.where };
        top.keys.add(key);
        top.expectKey = false;
        lastKey = key;
      }
      i = j;
    } else if (c === 0x7b /* { */) {
      stack.push({ keys: new Set(), expectKey: true, where: stack.length === 0 ? "the top level" : `'${lastKey}'` });
    } else if (c === 0x5b /* [ */) {
      stack.push({ keys: null, expectKey: false, where: "" });
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
    }
  }
  return null;
}
