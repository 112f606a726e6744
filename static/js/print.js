// The print button of the meetings' printables (templates/meetings/print/): no inline script (CSP).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});
