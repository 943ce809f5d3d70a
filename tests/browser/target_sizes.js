// Click targets lower or narrower than `minimum` CSS px in the page's <main>: see tests/browser/helpers.py.
(minimum) => {
  const main = document.querySelector("main");
  if (!main) { return ["no <main>"]; }
  main.querySelectorAll("details").forEach((details) => { details.open = true; });
  const controls = "a, button, input, select, textarea, summary";
  const blockOf = (element) => {
    let node = element.parentElement;
    while (node && node !== main && getComputedStyle(node).display.startsWith("inline")) { node = node.parentElement; }
    return node || main;
  };
  const ownWords = (block) => {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let text = "";
    while (walker.nextNode()) {
      const parent = walker.currentNode.parentElement;
      if (!parent.closest(controls) && getComputedStyle(parent).display !== "none") {
        text += " " + walker.currentNode.data;
      }
    }
    return (text.match(/\p{L}{2,}/gu) || []).length;
  };
  const describe = (element) => {
    const classes = typeof element.className === "string" ? element.className.trim().split(/\s+/).filter(Boolean) : [];
    return element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") + classes.map((c) => "." + c).join("");
  };
  const small = [];
  for (const element of main.querySelectorAll(controls)) {
    if (element.type === "hidden" || element.closest("svg")) { continue; }
    const style = getComputedStyle(element);
    if (style.display === "none" || style.visibility === "hidden") { continue; }
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) { continue; }
    if (style.display === "inline" && element.tagName === "A" && ownWords(blockOf(element)) >= 3) { continue; }
    if (box.height < minimum - 0.01 || box.width < minimum - 0.01) {
      const text = (element.innerText || element.value || "").trim().slice(0, 40);
      const size = `${box.width.toFixed(1)} x ${box.height.toFixed(1)}`;
      small.push(`${describe(element)} in ${describe(element.parentElement)} "${text}": ${size}`);
    }
  }
  return small;
}
