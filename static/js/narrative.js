// The narrative editor of a draft report (templates/reports/narrative.html): each part's textarea is
// replaced by an editable area whose formatting is limited to paragraphs, bulleted lists and numbered
// lists, and whose HTML is copied back into the textarea when the form is sent. The server keeps only
// those elements (reports/sanitize.py), whatever arrives. Without JavaScript the textareas are used as
// they are: they hold the HTML, or plain text that the server turns into paragraphs.
(function () {
  "use strict";

  var form = document.getElementById("narrative-form");
  if (!form || typeof document.execCommand !== "function") {
    return;
  }

  function listOf(node, editor) {
    while (node && node !== editor) {
      if (node.nodeName === "UL" || node.nodeName === "OL") {
        return node.nodeName;
      }
      node = node.parentNode;
    }
    return null;
  }

  // command: "paragraph", "insertUnorderedList" or "insertOrderedList" (the button's data-command).
  function format(editor, command) {
    editor.focus();
    if (command === "paragraph") {
      var selection = window.getSelection();
      var current = selection.rangeCount ? listOf(selection.anchorNode, editor) : null;
      if (current) {
        // Leaving a list: the browser toggles the list off, then the lines become paragraphs.
        document.execCommand(current === "UL" ? "insertUnorderedList" : "insertOrderedList");
      }
      document.execCommand("formatBlock", false, "p");
    } else if (command === "insertUnorderedList" || command === "insertOrderedList") {
      document.execCommand(command);
    }
  }

  form.querySelectorAll("[data-narrative]").forEach(function (part) {
    var source = part.querySelector("textarea");
    var editor = part.querySelector(".narrative-editor");
    var toolbar = part.querySelector(".narrative-toolbar");
    var fallback = part.querySelector(".narrative-fallback");
    if (!source || !editor) {
      return;
    }
    // The textarea holds the stored narrative, already sanitized by the server.
    editor.innerHTML = source.value.trim() || "<p><br></p>";
    editor.contentEditable = "true";
    editor.style.minHeight = "8rem";
    editor.hidden = false;
    toolbar.hidden = false;
    fallback.hidden = true;
    var label = part.querySelector("label[for='" + source.id + "']");
    if (label) {
      label.addEventListener("click", function (event) {
        event.preventDefault();
        editor.focus();
      });
    }
    editor.addEventListener("focus", function () {
      document.execCommand("defaultParagraphSeparator", false, "p");
    });
    // Pasted text arrives without the formatting of its source (Word, a web page).
    editor.addEventListener("paste", function (event) {
      var data = event.clipboardData || window.clipboardData;
      if (!data) {
        return;
      }
      event.preventDefault();
      document.execCommand("insertText", false, data.getData("text/plain"));
    });
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-command]");
      if (button) {
        format(editor, button.dataset.command);
      }
    });
    // The toolbar's buttons must not take the selection away from the text.
    toolbar.addEventListener("mousedown", function (event) {
      if (event.target.closest("button[data-command]")) {
        event.preventDefault();
      }
    });
  });

  // The HTML to send: without the empty paragraphs and list items the browser leaves around a list
  // (the empty "<p><br></p>" an area starts with, a line left blank), and nothing for an empty area.
  function content(editor) {
    var copy = editor.cloneNode(true);
    // A list typed inside a paragraph (Chromium nests them) is lifted out of it: the lines around it
    // stay paragraphs of their own, as the server would otherwise split them with empty paragraphs.
    copy.querySelectorAll("p").forEach(function (paragraph) {
      if (!paragraph.querySelector("ul, ol")) {
        return;
      }
      var run = null;
      Array.prototype.slice.call(paragraph.childNodes).forEach(function (child) {
        if (child.nodeName === "UL" || child.nodeName === "OL") {
          paragraph.parentNode.insertBefore(child, paragraph);
          run = null;
        } else {
          if (!run) {
            run = document.createElement("p");
            paragraph.parentNode.insertBefore(run, paragraph);
          }
          run.appendChild(child);
        }
      });
      paragraph.remove();
    });
    copy.querySelectorAll("p, li, div, ul, ol").forEach(function (node) {
      if (!node.textContent.trim()) {
        node.remove();
      }
    });
    return copy.textContent.trim() ? copy.innerHTML : "";
  }

  form.addEventListener("submit", function () {
    form.querySelectorAll("[data-narrative]").forEach(function (part) {
      var source = part.querySelector("textarea");
      var editor = part.querySelector(".narrative-editor");
      if (source && editor && !editor.hidden) {
        source.value = content(editor);
      }
    });
  });
})();
