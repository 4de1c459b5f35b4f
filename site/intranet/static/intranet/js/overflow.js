// Shows a scroll hint beside a box (data-overflow-hint: the hint's id) while its content is wider than the box.
(function () {
  document.querySelectorAll("[data-overflow-hint]").forEach(function (box) {
    var hint = document.getElementById(box.dataset.overflowHint);
    if (!hint) return;
    function update() { hint.hidden = box.scrollWidth <= box.clientWidth + 1; }
    update();
    if (window.ResizeObserver) new ResizeObserver(update).observe(box);
    else window.addEventListener("resize", update);
  });
})();
