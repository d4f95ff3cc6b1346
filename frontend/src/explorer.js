// The explorer's small enhancement: what a map mark or a timeline bar stands for, shown beside the
// figure as the pointer or the keyboard reaches it (the same text is each one's SVG <title>).

function describeOnFocus(figure) {
  const detail = document.getElementById(figure.dataset.detail);
  if (!detail) return;
  const show = (event) => {
    const item = event.target.closest("[data-describe]");
    if (item && figure.contains(item)) detail.textContent = item.dataset.describe;
  };
  figure.addEventListener("mouseover", show);
  figure.addEventListener("focusin", show);
}

function init() {
  document.querySelectorAll("[data-detail]").forEach(describeOnFocus);
  document.documentElement.classList.add("enhanced");
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
