// Organization pickers (organizations/pickers.py): a <select data-search-url> ships only its chosen
// option, and Tom Select (npm tom-select) asks the server for the others as the user types. The
// server matches without tone marks ("van phong" finds "Văn phòng") and ranks the answer: it is
// shown as it comes, each choice with where it sits, never filtered again in the browser.
(function () {
  "use strict";

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function attach(select) {
    if (select.tomselect || typeof TomSelect === "undefined") {
      return;
    }
    var url = new URL(select.dataset.searchUrl, window.location.href);
    var answers = {}; // query -> the ids the server sent, best first
    var messages = document.body.dataset;

    new TomSelect(select, {
      valueField: "id",
      labelField: "label",
      searchField: [],
      maxOptions: null,
      preload: "focus",
      loadThrottle: 250,
      allowEmptyOption: false,
      plugins: select.required ? [] : ["clear_button"],
      shouldLoad: function () {
        return true;
      },
      // The server's answer for the query, in its order; what other queries loaded stays hidden.
      score: function (query) {
        var ids = answers[query] || [];
        return function (item) {
          var index = ids.indexOf(String(item.id));
          return index < 0 ? 0 : ids.length - index;
        };
      },
      load: function (query, callback) {
        url.searchParams.set("q", query);
        fetch(url.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) {
            if (!response.ok) {
              throw new Error(String(response.status));
            }
            return response.json();
          })
          .then(function (data) {
            answers[query] = data.results.map(function (result) {
              return String(result.id);
            });
            callback(data.results);
          })
          .catch(function () {
            callback();
          });
      },
      render: {
        option: function (data) {
          var where = data.context ? '<div class="small text-muted">' + escapeHtml(data.context) + "</div>" : "";
          return "<div>" + escapeHtml(data.name || data.label) + where + "</div>";
        },
        item: function (data) {
          return "<div>" + escapeHtml(data.label) + "</div>";
        },
        no_results: function () {
          return '<div class="no-results">' + escapeHtml(messages.msgNoMatch) + "</div>";
        },
      },
    });
  }

  function attachAll(root) {
    (root || document).querySelectorAll("select[data-search-url]").forEach(attach);
  }

  if (window.htmx) {
    window.htmx.onLoad(attachAll); // the page, and every fragment htmx swaps in
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      attachAll(document);
    });
  }
})();
