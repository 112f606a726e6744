// Export links carry the list's current filters. htmx filters the table in place and updates the
// address bar (hx-push-url) without re-rendering these links, so the query string is taken from
// the address bar when the link is clicked.
document.addEventListener("click", function (event) {
  var link = event.target.closest("a[data-keep-filters]");
  if (!link) {
    return;
  }
  var url = new URL(link.href, window.location.href);
  var params = new URLSearchParams(window.location.search);
  params.delete("page");
  params.delete("sort");
  params.set("format", url.searchParams.get("format") || "xlsx");
  url.search = params.toString();
  link.href = url.toString();
});
