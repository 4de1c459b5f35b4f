// Copy buttons (progressive enhancement): shown once script runs; the result is announced in the field's status
// region. Over plain http on an intranet the Clipboard API is missing, so the older copy command stands in.
(function () {
  function copy(input) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(input.value);
    input.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.dataset.copy);
    var status = button.parentElement.querySelector("[role=status]");
    if (!input) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(input).then(function () {
        if (status) status.textContent = button.dataset.copied;
      }, function () {
        input.select();  // refused: leave the address selected for Ctrl+C
      });
    });
  });
})();
