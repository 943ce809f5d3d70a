// Click targets lower or narrower than `minimum` CSS px in the page's <main>: see tests/browser/helpers.py.
// With `spacing` (the admin's dense lists), WCAG's spacing exception applies too: a smaller target passes when a
// circle of `minimum` px across, centred on it, meets no other target and no other small target's circle.
([minimum, spacing]) => {
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
  const targets = [];
  for (const element of main.querySelectorAll(controls)) {
    if (element.type === "hidden" || element.closest("svg")) { continue; }
    // select2's search field inside its box: the whole box (measured as the <select> it stands for) takes the click.
    if (element.classList.contains("select2-search__field")) { continue; }
    const style = getComputedStyle(element);
    if (style.display === "none" || style.visibility === "hidden") { continue; }
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) { continue; }
    if (style.display === "inline" && element.tagName === "A" && ownWords(blockOf(element)) >= 3) { continue; }
    targets.push({ element, box, small: box.height < minimum - 0.01 || box.width < minimum - 0.01 });
  }
  const radius = minimum / 2;
  const centre = (box) => [box.left + box.width / 2, box.top + box.height / 2];
  const reaches = ([x, y], box) => Math.hypot(x - Math.max(box.left, Math.min(x, box.right)),
    y - Math.max(box.top, Math.min(y, box.bottom))) < radius - 0.01;
  const spaced = (target) => targets.every((other) => other === target
    || other.element.contains(target.element) || target.element.contains(other.element)
    || (other.small ? Math.hypot(...centre(target.box).map((v, i) => v - centre(other.box)[i])) >= minimum - 0.01
      : !reaches(centre(target.box), other.box)));
  const small = [];
  for (const target of targets) {
    if (!target.small || (spacing && spaced(target))) { continue; }
    const { element, box } = target;
    const text = (element.innerText || element.value || "").trim().slice(0, 40);
    const size = `${box.width.toFixed(1)} x ${box.height.toFixed(1)}`;
    small.push(`${describe(element)} in ${describe(element.parentElement)} "${text}": ${size}`);
  }
  return small;
}
