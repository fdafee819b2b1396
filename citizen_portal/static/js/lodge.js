/* The citizen's lodge form, step by step (templates/complaints/lodge/).

   Every step works without JavaScript. With it:
   - the steps are boosted by htmx (base.html) and swap <main> in place; after each swap,
     focus goes to what the citizen must read first: the list of errors, or the step's
     heading (or stays on the field that was in use);
   - "Use my current location" asks the browser for the position (the browser asks the
     citizen first) and fills in the point, ticking "share" since the citizen asked for it;
   - files being sent show their progress.
   No inline script or style: the texts shown come from data- attributes of the page, in its
   language. */
(function () {
  "use strict";
  if (window.citizenPortalLodge) {
    return; // kept across swaps by hx-preserve: never set up twice
  }
  window.citizenPortalLodge = true;

  function byId(id) {
    return document.getElementById(id);
  }

  // --- Location -------------------------------------------------------------------------

  function offerLocation() {
    var box = document.querySelector(".locate");
    if (box && "geolocation" in navigator) {
      box.hidden = false;
    }
  }

  function locate(button) {
    var box = button.closest(".locate");
    var status = box.querySelector(".locate-status");
    status.textContent = box.getAttribute("data-locating");
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var latitude = byId("id_latitude");
        var longitude = byId("id_longitude");
        var share = byId("id_share_location");
        if (latitude && longitude) {
          latitude.value = position.coords.latitude.toFixed(6);
          longitude.value = position.coords.longitude.toFixed(6);
        }
        if (share) {
          share.checked = true;
        }
        status.textContent = box.getAttribute("data-located");
        button.disabled = false;
      },
      function () {
        status.textContent = box.getAttribute("data-denied");
        button.disabled = false;
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 }
    );
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-locate]");
    if (button) {
      event.preventDefault();
      locate(button);
    }
  });

  // --- Upload progress ------------------------------------------------------------------

  var shown = 0;

  function progressOf(form) {
    return form && form.matches && form.matches("form[data-upload]")
      ? form.querySelector(".upload-progress")
      : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var box = progressOf(event.detail.elt);
    if (box && event.detail.elt.querySelector("input[type=file]").files.length) {
      shown = 0;
      box.hidden = false;
      box.querySelector("progress").value = 0;
    }
  });

  document.addEventListener("htmx:xhr:progress", function (event) {
    var box = progressOf(event.detail.elt || event.target);
    if (!box || box.hidden || !event.detail.lengthComputable || !event.detail.total) {
      return;
    }
    // The upload's events and then the answer's come under one name: never go backwards.
    var percent = Math.floor((event.detail.loaded / event.detail.total) * 100);
    if (percent > shown) {
      shown = percent;
      box.querySelector("progress").value = percent;
      box.querySelector(".upload-percent").textContent = percent + "%";
    }
  });

  // --- After each swap ------------------------------------------------------------------

  document.addEventListener("htmx:afterSettle", function () {
    offerLocation();
    var main = byId("main");
    if (!main) {
      return;
    }
    var errors = main.querySelector(".error-summary");
    var active = document.activeElement;
    if (errors) {
      errors.focus();
    } else if (!active || active === document.body || !main.contains(active)) {
      window.scrollTo(0, 0);
      var heading = byId("step-heading");
      if (heading) {
        heading.focus({ preventScroll: true });
      }
    }
  });

  // A request that could not be sent (no connection): say so, instead of doing nothing.
  function failed(event) {
    var lodge = byId("lodge");
    var form = event.detail && event.detail.elt;
    if (!lodge || !form || !lodge.contains(form) || !form.closest) {
      return;
    }
    form = form.closest("form") || form;
    var note = form.querySelector(".send-error");
    if (!note) {
      note = document.createElement("p");
      note.className = "send-error error";
      note.setAttribute("role", "alert");
      form.appendChild(note);
    }
    note.textContent = lodge.getAttribute("data-send-error");
    var box = progressOf(form);
    if (box) {
      box.hidden = true;
    }
  }
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:responseError", failed);

  offerLocation();
})();
