/* Citizen Portal as an app: registers the service worker (/sw.js, citizen_portal/core/
 * service_worker.js), shows the "you are offline" banner on a stored copy of a page, lists the
 * complaints written offline that wait to be sent, and asks the worker to send them when the
 * page loads online or the connection comes back. Its words come from the page's JSON block
 * (#pwa-config, core/templatetags/pwa.py), in the page's language: no inline script. */
(function () {
  'use strict';

  var node = document.getElementById('pwa-config');
  if (!node || !('serviceWorker' in navigator)) return;
  var config = JSON.parse(node.textContent);
  var words = config.strings;
  var root = document.documentElement;
  // Looked up each time: htmx may have swapped <main> for a new one since.
  function main() { return document.getElementById('main') || document.body; }

  navigator.serviceWorker.register(config.sw).catch(function () {});

  // Each value is isolated (FSI … PDI), so that a date or an English reason inside an Urdu
  // sentence keeps its own direction.
  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, name) {
      return name in values ? '\u2068' + values[name] + '\u2069' : all;
    });
  }

  function when(iso) {
    var date = new Date(iso);
    if (isNaN(date)) return '';
    try {
      return new Intl.DateTimeFormat(root.lang || undefined, {
        dateStyle: 'medium', timeStyle: 'short'
      }).format(date);
    } catch (error) {
      return date.toLocaleString();
    }
  }

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) made.className = className;
    if (text) made.textContent = text;
    return made;
  }

  // A sentence with a link where %(ref)s stands, built without innerHTML.
  function sentence(text, name, link) {
    var paragraph = element('p');
    var parts = text.split('%(' + name + ')s');
    paragraph.append(parts[0]);
    for (var i = 1; i < parts.length; i++) paragraph.append(link.cloneNode(true), parts[i]);
    return paragraph;
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) {
      return ('0' + b.toString(16)).slice(-2);
    }).join('');
  }

  // 1. A stored copy, served by the worker without a network.
  var copiedAt = root.getAttribute('data-offline-copy');
  if (copiedAt !== null) {
    var banner = element('div', 'messages offline-banner');
    banner.setAttribute('role', 'status');
    banner.append(element('p', 'message', fill(words.offlineCopy, { time: when(copiedAt) })));
    main().prepend(banner);
    // The stored form carries the key it had when stored; each new complaint needs its own.
    document.querySelectorAll('input[name="idempotency_key"]').forEach(function (input) {
      input.value = newKey();
    });
  }

  // 2. Without a network the server cannot check the form: the browser does, so that what is
  // kept for later is complete.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (navigator.onLine || !form.querySelector('input[name="idempotency_key"]')) return;
    if (!form.checkValidity()) {
      event.preventDefault();
      form.reportValidity();
    }
  }, true);

  // 3. The drafts kept on this device for this account.
  function ask(message) {
    return navigator.serviceWorker.ready.then(function (registration) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (event) { resolve(event.data || []); };
        registration.active.postMessage(message, [channel.port2]);
      });
    });
  }

  function token() {
    var input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : '';
  }

  function describe(draft) {
    var item = element('li', 'card');
    item.append(element('strong', '', draft.subject || words.untitled));
    if (draft.written) item.append(element('p', '', fill(words.written, { time: when(draft.written) })));
    var state = element('p');
    if (draft.status === 'sent') {
      var link = element('a', 'ref', draft.reference);
      link.href = config.detail.replace('__ref__', encodeURIComponent(draft.reference));
      link.dir = 'ltr';
      state = sentence(words.sent, 'ref', link);
    } else if (draft.status === 'failed') {
      state.append(element('span', 'status status-dropped', fill(words.failed, { reason: draft.problem || '' })));
      var text = element('details');
      text.append(element('summary', '', draft.subject || words.untitled), element('p', 'description', draft.description));
      item.append(text);
    } else if (draft.problem === 'login') {
      state.append(element('span', 'status status-reopened', words.login));
    } else {
      state.append(element('span', 'status', draft.status === 'sending' ? words.sending : words.waiting));
    }
    item.append(state);
    if (draft.status === 'sent' || draft.status === 'failed') {
      var remove = element('button', 'link', words.remove);
      remove.type = 'button';
      remove.addEventListener('click', function () {
        ask({ type: 'remove', key: draft.key, user: config.user }).then(show);
      });
      var actions = element('p');
      actions.append(remove);
      item.append(actions);
    }
    return item;
  }

  function show(drafts) {
    var panel = document.getElementById('pwa-queue');
    if (!drafts.length) {
      if (panel) panel.remove();
      return;
    }
    if (!panel) {
      panel = element('section', 'feedback pwa-queue');
      panel.id = 'pwa-queue';
      panel.setAttribute('aria-live', 'polite');
      panel.setAttribute('aria-labelledby', 'pwa-queue-title');
      var after = main().querySelector('.offline-banner');
      if (after) after.after(panel); else main().prepend(panel);
    }
    var title = element('h2', '', words.queueTitle);
    title.id = 'pwa-queue-title';
    var list = element('ul', 'cards');
    drafts.forEach(function (draft) { list.append(describe(draft)); });
    panel.replaceChildren(title, list);
  }

  function refresh() {
    var message = navigator.onLine
      ? { type: 'send', csrf: token(), user: config.user }
      : { type: 'drafts', user: config.user };
    return ask(message).then(show);
  }

  navigator.serviceWorker.addEventListener('message', function (event) {
    if (event.data && event.data.type === 'drafts-changed') {
      ask({ type: 'drafts', user: config.user }).then(show);
    }
  });
  window.addEventListener('online', function () {
    // The offline page stands in for a page it does not hold: now the real one can come.
    if (config.shared) return window.location.reload();
    var sent = refresh();
    if (copiedAt === null) return;
    var banner = main().querySelector('.offline-banner');
    if (banner) banner.remove();
    // A stored copy is out of date: once the drafts are sent, show today's page, unless the
    // citizen is writing in a form on it.
    if (!document.querySelector('input[name="idempotency_key"]')) {
      sent.then(function () { window.location.reload(); });
    }
  });
  refresh();
})();
