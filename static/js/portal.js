// BlocPortal's own behaviour (no inline scripts: the CSP allows 'self' only).
// Messages come translated from data attributes on <body>.
document.addEventListener("htmx:responseError", function (event) {
  var body = document.body.dataset;
  var status = event.detail.xhr.status;
  window.alert(status === 403 ? body.msgForbidden : body.msgError + " (" + status + ")");
});
