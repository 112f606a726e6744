// The rating sheets (templates/emulation/ratings/): a button with data-copy-to="COLUMN" and
// data-copy-from="COLUMN" fills every select of the first column from the level of the second one in the
// same row (the chi bộ's proposal from the self-assessment, the approval from the proposal), as the issue
// asks each level to be pre-filled from the one below. A row without a level in the column copied from
// keeps its choice. Nothing is saved until the form is submitted.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-copy-to]");
  if (!button) {
    return;
  }
  var form = button.form || button.closest("form");
  var from = button.dataset.copyFrom;
  form.querySelectorAll('select[data-column="' + button.dataset.copyTo + '"]').forEach(function (select) {
    var source = form.querySelector('[data-column="' + from + '"][data-row="' + select.dataset.row + '"]');
    var value = source ? (source.tagName === "SELECT" ? source.value : source.dataset.value) : "";
    if (value) {
      select.value = value;
    }
  });
});
