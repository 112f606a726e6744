// BlocPortal's own behaviour (no inline scripts: the CSP allows 'self' only).
// Messages come translated from data attributes on <body>.
// An element marked data-quiet (the navigation's count of alerts) fails silently: nobody asked for it.
document.addEventListener("htmx:responseError", function (event) {
  if (event.detail.elt && event.detail.elt.closest("[data-quiet]")) return;
  var body = document.body.dataset;
  var status = event.detail.xhr.status;
  window.alert(status === 403 ? body.msgForbidden : body.msgError + " (" + status + ")");
});
