// Date fields (blocportal.forms.DateInput): typed as dd/mm/yyyy, which the server parses. A button
// beside the field opens a calendar in Vietnamese (npm vanillajs-datepicker) that writes the chosen
// day into the field as dd/mm/yyyy; it never rewrites what was typed, so a mistyped date reaches
// the server and is refused there with its message, as without the calendar.
(function () {
  "use strict";

  var FORMAT = "dd/mm/yyyy";

  // The typed day, or null: "31/02/2024" is no day (the calendar would roll it over to March).
  function typedDay(text) {
    var match = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text || "");
    if (!match) {
      return null;
    }
    var day = Number(match[1]);
    var month = Number(match[2]) - 1;
    var date = new Date(Number(match[3]), month, day);
    return date.getDate() === day && date.getMonth() === month ? date : null;
  }

  function attach(input) {
    if (input.dataset.datepickerReady || typeof Datepicker === "undefined") {
      return;
    }
    input.dataset.datepickerReady = "1";
    var group = document.createElement("div");
    group.className = "input-group date-field";
    input.parentNode.insertBefore(group, input);
    group.appendChild(input);
    var menu = document.createElement("div");
    menu.className = "dropdown-menu date-field-menu p-0";
    group.appendChild(menu);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary date-field-toggle";
    button.setAttribute("aria-label", document.body.dataset.msgPickDate || "");
    button.setAttribute("aria-expanded", "false");
    button.innerHTML = '<i class="bi bi-calendar3" aria-hidden="true"></i>';
    group.appendChild(button);

    var picker = new Datepicker(menu, {
      language: "vi",
      format: FORMAT,
      weekStart: 1,
      todayButton: true,
      todayButtonMode: 1,
      todayHighlight: true,
      buttonClass: "btn",
    });
    var opening = false;

    function close() {
      menu.classList.remove("show");
      button.setAttribute("aria-expanded", "false");
    }

    function open() {
      var day = typedDay(input.value);
      opening = true;
      picker.setDate(day ? day : { clear: true }, { clear: true });
      picker.setFocusedDate(day || new Date());
      opening = false;
      menu.classList.add("show");
      button.setAttribute("aria-expanded", "true");
    }

    menu.addEventListener("changeDate", function (event) {
      if (opening || !event.detail.date) {
        return;
      }
      input.value = Datepicker.formatDate(event.detail.date, FORMAT);
      input.dispatchEvent(new Event("change", { bubbles: true }));
      close();
      input.focus();
    });
    button.addEventListener("click", function () {
      if (menu.classList.contains("show")) {
        close();
      } else {
        open();
      }
    });
    document.addEventListener("click", function (event) {
      if (!group.contains(event.target)) {
        close();
      }
    });
    group.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.classList.contains("show")) {
        close();
        button.focus();
      }
    });
  }

  function attachAll(root) {
    (root || document).querySelectorAll("input[data-datepicker]").forEach(attach);
  }

  if (window.htmx) {
    window.htmx.onLoad(attachAll);
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      attachAll(document);
    });
  }
})();
