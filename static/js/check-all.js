// A checkbox with data-check-all="NAME" ticks or clears every checkbox named NAME in its form.
document.addEventListener("change", function (event) {
  var master = event.target.closest("input[data-check-all]");
  if (!master) {
    return;
  }
  var boxes = master.form.querySelectorAll('input[type="checkbox"][name="' + master.dataset.checkAll + '"]');
  boxes.forEach(function (box) {
    box.checked = master.checked;
  });
});
