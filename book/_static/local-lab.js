// A "JupyterLab (local)" entry in each chapter's launch menu, beside Colab: it opens the
// chapter's notebook in the JupyterLab that `make lab` starts at the repository root
// (http://localhost:8888). The notebook's path is read from the Colab link the theme writes.
(function () {
  "use strict";
  var LAB = "http://localhost:8888/lab/tree/";
  function addLocalLab() {
    var menu = document.querySelector(".dropdown-launch-buttons ul.dropdown-menu");
    if (!menu || menu.querySelector(".gdm-local-lab")) return;
    var colab = menu.querySelector('a[href*="colab.research.google.com"]');
    if (!colab) return;
    var m = colab.getAttribute("href").match(/\/blob\/[^/]+\/(.+\.ipynb)$/);
    if (!m) return;
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = LAB + m[1];
    a.target = "_blank";
    a.className = "btn btn-sm dropdown-item gdm-local-lab";
    a.title = "Open in your own JupyterLab (run `make lab` in the repository first)";
    a.innerHTML = '<span class="btn__icon-container"><i class="fas fa-laptop-code"></i></span>' +
                  '<span class="btn__text-container">JupyterLab (local)</span>';
    li.appendChild(a);
    menu.appendChild(li);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", addLocalLab);
  else addLocalLab();
})();
