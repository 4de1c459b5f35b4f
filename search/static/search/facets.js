// On a narrow screen the search filters fold into their "Filtrera" control, so the hits come first; on a wider one
// they stay open beside the hits. Without script they are always open.
(function () {
  var filters = document.querySelector("details.search-facets");
  if (!filters || !window.matchMedia) return;
  var narrow = window.matchMedia("(max-width: 48rem)");
  function fit() { filters.open = !narrow.matches; }
  fit();
  narrow.addEventListener("change", fit);
})();
