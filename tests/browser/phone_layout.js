// How a page lies on a phone, measured in the browser (tests/browser/test_phone_layout.py).
// Returns the document's height and width, the elements that scroll sideways without
// being a focusable scroll region, the words the layout breaks across two lines, and
// any raw value shown instead of words.
() => {
  const root = document.documentElement;
  const viewport = root.clientWidth;

  // A word: a run of letters and digits. A browser may end a line at a space, a hyphen
  // or a slash; inside such a run only a word-breaking rule (overflow-wrap, word-break,
  // hyphens) can, and that is what "Habit / ant" on a phone is.
  const WORD = /[\p{L}\p{N}]+/gu;

  function hidden(element) {
    // Screen-reader-only text lies in a 1 px box where every word wraps: not seen.
    for (let e = element; e && e !== document.body; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.display === "none" || style.visibility === "hidden") return true;
      if (style.position === "absolute" && e.getBoundingClientRect().width <= 1) return true;
      if (e.tagName === "DETAILS" && !e.open && e !== element) {
        // Inside a closed disclosure only its summary shows.
        const summary = e.querySelector(":scope > summary");
        if (!summary || !summary.contains(element)) return true;
      }
    }
    return false;
  }

  const brokenWords = [];
  const range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const checkedParents = new Map();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"].includes(parent.tagName)) continue;
    if (!checkedParents.has(parent)) checkedParents.set(parent, hidden(parent));
    if (checkedParents.get(parent)) continue;
    for (const match of node.data.matchAll(WORD)) {
      if (match[0].length < 2) continue;
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
      if (rects.length < 2) continue;
      const tops = rects.map((r) => r.top);
      const lineHeight = Math.min(...rects.map((r) => r.height));
      if (Math.max(...tops) - Math.min(...tops) > lineHeight / 2) {
        brokenWords.push(`${match[0]} (in <${parent.tagName.toLowerCase()}${parent.className ? "." + String(parent.className).split(" ").join(".") : ""}>)`);
        if (brokenWords.length >= 20) break;
      }
    }
    if (brokenWords.length >= 20) break;
  }

  // Sideways scrolling is allowed only inside a region the keyboard can reach and scroll.
  const unreachableScrolls = [];
  for (const element of document.body.querySelectorAll("*")) {
    if (element.scrollWidth <= element.clientWidth + 1) continue;
    const overflow = getComputedStyle(element).overflowX;
    if (overflow !== "auto" && overflow !== "scroll") continue;
    if (element.tabIndex >= 0 || element.querySelector("a[href], button, input, select, textarea, [tabindex]")) continue;
    unreachableScrolls.push(`<${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""}${element.className ? "." + String(element.className).split(" ").join(".") : ""}>`);
  }

  // A value the page forgot to say in words: Python's None, a model's "object (12)".
  const rawValues = (document.body.innerText.match(/\bNone\b|\bobject \(\d+\)/g) || []).slice(0, 5);

  return {
    rawValues,
    height: Math.max(root.scrollHeight, document.body.scrollHeight),
    width: root.scrollWidth,
    viewport,
    brokenWords,
    unreachableScrolls,
  };
}
