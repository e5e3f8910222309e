/* forumbot personal tab. Plain JavaScript, no framework, no build step.
 * In Teams: app.initialize(), getContext() for user, locale and theme, authentication.getAuthToken() for
 * the SSO token sent to /api/tab/*. In a plain browser (local mode) the server uses a development identity.
 */
(function () {
  'use strict';

  var TEXTS = {
    da: {
      title: 'Møder og beslutninger',
      tabMeetings: 'Kommende møder',
      tabSearch: 'Søg i beslutninger',
      tabVotes: 'Mine afstemninger',
      loading: 'Henter …',
      signedInAs: 'Logget ind som {0}',
      devIdentity: 'Lokal tilstand: udvikleridentitet',
      noMeetings: 'Der er ingen kommende møder i kalenderen.',
      place: 'Sted',
      agenda: 'Dagsorden',
      noAgenda: 'Dagsordenen er ikke udsendt endnu.',
      calendar: 'Hent i kalender (.ics)',
      calendarFor: 'Hent {0} i kalender',
      searchLabel: 'Emne',
      searchPlaceholder: 'fx takster, krisecenter, Samrådet',
      forumLabel: 'Forum',
      yearLabel: 'År',
      allForums: 'Alle fora',
      allYears: 'Alle år',
      searchButton: 'Søg',
      searching: 'Søger …',
      noHits: 'Det kan jeg ikke finde i referaterne.',
      nearest: 'Nærmeste punkter',
      hits: '{0} beslutninger fundet.',
      oneHit: '1 beslutning fundet.',
      decision: 'Beslutning',
      noDecision: 'Der er ikke ført en beslutning til referat.',
      noVotes: 'Du har ingen åbne skriftlige procedurer.',
      missingVote: 'Mangler din stemme',
      hasVoted: 'Du har stemt',
      deadline: 'Frist',
      progress: '{0} af {1} punkter besvaret',
      onBehalf: 'Du stemmer som stedfortræder for {0}',
      voteLink: 'Gå til afstemningen',
      voteLinkFor: 'Gå til afstemningen: {0}',
      voteInChat: 'Stem på kortet i chatten med forumbot.',
      notVoted: 'Ikke stemt',
      voted: 'Stemt',
      needTeams: 'Åbn fanen i Microsoft Teams for at logge ind.',
      unauthorized: 'Du kunne ikke logges ind. Genindlæs fanen, eller kontakt sekretariatet.',
      failed: 'Noget gik galt. Prøv igen om lidt.',
      time: 'kl. {0}',
    },
    en: {
      title: 'Meetings and decisions',
      tabMeetings: 'Upcoming meetings',
      tabSearch: 'Search decisions',
      tabVotes: 'My votes',
      loading: 'Loading …',
      signedInAs: 'Signed in as {0}',
      devIdentity: 'Local mode: development identity',
      noMeetings: 'There are no upcoming meetings in the calendar.',
      place: 'Place',
      agenda: 'Agenda',
      noAgenda: 'The agenda has not been published yet.',
      calendar: 'Add to calendar (.ics)',
      calendarFor: 'Add {0} to calendar',
      searchLabel: 'Topic',
      searchPlaceholder: 'e.g. rates, shelter, council',
      forumLabel: 'Forum',
      yearLabel: 'Year',
      allForums: 'All forums',
      allYears: 'All years',
      searchButton: 'Search',
      searching: 'Searching …',
      noHits: 'I cannot find that in the minutes.',
      nearest: 'Nearest items',
      hits: '{0} decisions found.',
      oneHit: '1 decision found.',
      decision: 'Decision',
      noDecision: 'No decision was recorded.',
      noVotes: 'You have no open written procedures.',
      missingVote: 'Waiting for your vote',
      hasVoted: 'You have voted',
      deadline: 'Deadline',
      progress: '{0} of {1} items answered',
      onBehalf: 'You vote as substitute for {0}',
      voteLink: 'Go to the vote',
      voteLinkFor: 'Go to the vote: {0}',
      voteInChat: 'Vote on the card in your chat with forumbot.',
      notVoted: 'Not voted',
      voted: 'Voted',
      needTeams: 'Open this tab in Microsoft Teams to sign in.',
      unauthorized: 'You could not be signed in. Reload the tab or contact the secretariat.',
      failed: 'Something went wrong. Please try again in a moment.',
      time: '{0}',
    },
  };

  var state = { lang: 'da', locale: 'da-DK', inTeams: false, teams: null, me: null };

  function t(key) {
    var s = (TEXTS[state.lang] || TEXTS.da)[key] || TEXTS.da[key] || key;
    for (var i = 1; i < arguments.length; i++) s = s.split('{' + (i - 1) + '}').join(String(arguments[i]));
    return s;
  }

  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (attrs[k] == null) continue;
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'className') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c == null) continue;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return e;
  }

  function setStatus(text, isError) {
    var s = document.getElementById('status');
    s.textContent = text || '';
    s.className = 'status' + (isError ? ' error' : '');
  }

  // ---- theme and language ---------------------------------------------------------------------
  function applyTheme(theme) {
    var th = theme === 'dark' || theme === 'contrast' ? theme : 'default';
    document.body.setAttribute('data-theme', th);
  }

  function applyLocale(locale) {
    state.locale = locale || 'da-DK';
    state.lang = /^en\b/i.test(state.locale) ? 'en' : 'da';
    document.documentElement.lang = state.lang;
    document.title = 'forumbot – ' + t('title');
    document.getElementById('title').textContent = t('title');
    var nodes = document.querySelectorAll('[data-i18n]');
    for (var i = 0; i < nodes.length; i++) nodes[i].textContent = t(nodes[i].getAttribute('data-i18n'));
    var ph = document.querySelectorAll('[data-i18n-placeholder]');
    for (var j = 0; j < ph.length; j++) ph[j].setAttribute('placeholder', t(ph[j].getAttribute('data-i18n-placeholder')));
  }

  // ---- Teams ------------------------------------------------------------------------------------
  function withTimeout(p, ms) {
    return Promise.race([p, new Promise(function (_, reject) { setTimeout(function () { reject(new Error('timeout')); }, ms); })]);
  }

  function initTeams() {
    var mt = window.microsoftTeams;
    var params = new URLSearchParams(location.search);
    var framed = window.parent !== window || !!window.opener;
    if (!mt || (!framed && params.get('context') !== 'teams')) return Promise.resolve(false);
    // the page's own origin may host it too (a same-origin parent could script this page anyway): tests use that
    return withTimeout(mt.app.initialize([location.origin]), 5000)
      .then(function () { return mt.app.getContext(); })
      .then(function (ctx) {
        state.inTeams = true;
        state.teams = mt;
        applyTheme(ctx && ctx.app && ctx.app.theme);
        applyLocale((ctx && ctx.app && ctx.app.locale) || 'da-DK');
        state.teamsUser = ctx && ctx.user ? (ctx.user.displayName || ctx.user.userPrincipalName || null) : null;
        mt.app.registerOnThemeChangeHandler(applyTheme);
        if (mt.app.notifySuccess) mt.app.notifySuccess();
        return true;
      })
      .catch(function () { return false; });
  }

  function initStandalone() {
    var params = new URLSearchParams(location.search);
    var theme = params.get('theme');
    if (!theme && window.matchMedia) {
      if (window.matchMedia('(forced-colors: active)').matches) theme = 'contrast';
      else if (window.matchMedia('(prefers-color-scheme: dark)').matches) theme = 'dark';
    }
    applyTheme(theme);
    applyLocale(params.get('lang') === 'en' ? 'en-GB' : params.get('lang') === 'da' ? 'da-DK' : (navigator.language && /^en\b/i.test(navigator.language) ? navigator.language : 'da-DK'));
  }

  // ---- API --------------------------------------------------------------------------------------
  function token() {
    if (!state.inTeams) return Promise.resolve(null);
    return state.teams.authentication.getAuthToken().catch(function (e) {
      // no token from Teams (consent missing, SSO not set up): the same as a refused one
      var err = new Error('no SSO token: ' + (e && e.message));
      err.status = 401;
      throw err;
    });
  }

  function apiFetch(path) {
    return token().then(function (tok) {
      var headers = { Accept: 'application/json' };
      if (tok) headers.Authorization = 'Bearer ' + tok;
      return fetch(path, { headers: headers, credentials: 'same-origin' });
    }).then(function (res) {
      if (res.status === 401) {
        var err = new Error('unauthorized');
        err.status = 401;
        throw err;
      }
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res;
    });
  }

  function apiGet(path) {
    var sep = path.indexOf('?') >= 0 ? '&' : '?';
    return apiFetch(path + sep + 'lang=' + state.lang).then(function (res) { return res.json(); });
  }

  function showError(e) {
    if (e && e.status === 401) setStatus(state.inTeams ? t('unauthorized') : t('needTeams'), true);
    else setStatus(t('failed'), true);
  }

  // ---- formatting -----------------------------------------------------------------------------------
  var ZONE = 'Europe/Copenhagen';
  function hasTime(s) { return /T\d{2}:\d{2}/.test(s || ''); }
  function fmtDate(s) {
    if (!s) return '';
    var d = hasTime(s) ? new Date(s) : new Date(s.slice(0, 10) + 'T12:00:00Z');
    return new Intl.DateTimeFormat(state.locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: ZONE }).format(d);
  }
  function fmtTime(s) {
    if (!hasTime(s)) return '';
    return new Intl.DateTimeFormat(state.locale, { hour: '2-digit', minute: '2-digit', timeZone: ZONE }).format(new Date(s));
  }
  function fmtDateTime(s) {
    return new Intl.DateTimeFormat(state.locale, { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: ZONE }).format(new Date(s));
  }
  function fmtShortDate(s) {
    if (!s) return '';
    return new Intl.DateTimeFormat(state.locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone: ZONE }).format(new Date(s.slice(0, 10) + 'T12:00:00Z'));
  }

  // ---- views ----------------------------------------------------------------------------------------
  function renderMeetings(list) {
    var box = document.getElementById('meetings');
    box.textContent = '';
    box.setAttribute('aria-busy', 'false');
    if (!list.length) {
      box.appendChild(el('p', { text: t('noMeetings') }));
      return;
    }
    var ul = el('ul', { className: 'cards', 'aria-label': t('tabMeetings') });
    list.forEach(function (m) {
      var when = fmtDate(m.start);
      var time = fmtTime(m.start);
      if (time && hasTime(m.end)) time += '–' + fmtTime(m.end);
      var heading = m.forum + ' – ' + when;
      var items = m.items || [];
      var agenda = items.length
        ? el('ol', { 'aria-label': t('agenda') }, ...items.map(function (i) { return el('li', { value: String(i.number), text: i.title }); }))
        : el('p', { className: 'muted', text: t('noAgenda') });
      var cal = el('a', { href: m.icsUrl, className: 'button', 'aria-label': t('calendarFor', heading), download: m.id + '.ics' }, t('calendar'));
      ul.appendChild(el('li', { className: 'card meeting', 'data-meeting-id': m.id },
        el('h3', { text: heading }),
        el('p', { className: 'meta' },
          (time ? t('time', time) : '') + (m.location ? (time ? ' · ' : '') + t('place') + ': ' + m.location : '')),
        el('h4', { className: 'visually-hidden', text: t('agenda') }),
        agenda,
        el('div', { className: 'actions' }, cal)));
    });
    box.appendChild(ul);
  }

  function fillFilters(me) {
    var forum = document.getElementById('forum');
    var year = document.getElementById('year');
    (me.forums || []).forEach(function (f) { forum.appendChild(el('option', { value: f.id, text: f.name })); });
    (me.years || []).forEach(function (y) { year.appendChild(el('option', { value: String(y), text: String(y) })); });
  }

  function renderResults(r) {
    var box = document.getElementById('results');
    box.textContent = '';
    if (!r.answered) {
      // the engine's own words: it cannot find it (and, when it has them, the nearest items)
      box.appendChild(el('p', { className: 'answer', text: r.text || t('noHits') }));
      setStatus(t('noHits'));
      if (!r.hits.length) return;
      box.appendChild(el('h3', { className: 'group', text: t('nearest') }));
    } else {
      setStatus(r.hits.length === 1 ? t('oneHit') : t('hits', r.hits.length));
    }
    var ul = el('ul', { className: 'cards', 'aria-label': t('tabSearch') });
    r.hits.forEach(function (h) {
      var title = el('h3', null, (h.itemNumber != null ? h.itemNumber + '. ' : '') + (h.itemTitle || h.meetingTitle || ''));
      if (h.outcomeLabel) title.appendChild(el('span', { className: 'badge ' + (h.outcome || 'other'), text: h.outcomeLabel }));
      ul.appendChild(el('li', { className: 'card hit', 'data-meeting-id': h.meetingId, 'data-item': h.itemNumber == null ? '' : String(h.itemNumber) },
        title,
        el('p', { className: 'decision' }, el('strong', { text: t('decision') + ': ' }), h.decision || h.excerpt || t('noDecision')),
        el('p', { className: 'source', text: h.forum + (h.date ? ', ' + fmtShortDate(h.date) : '') + (h.itemNumber != null ? ', ' + (state.lang === 'en' ? 'item ' : 'punkt ') + h.itemNumber : '') })));
    });
    box.appendChild(ul);
  }

  function renderVotes(list) {
    var box = document.getElementById('votes');
    box.textContent = '';
    if (!list.length) {
      box.appendChild(el('p', { text: t('noVotes') }));
      return;
    }
    var groups = [
      { title: t('missingVote'), items: list.filter(function (p) { return !p.voted; }), cls: 'missing' },
      { title: t('hasVoted'), items: list.filter(function (p) { return p.voted; }), cls: 'voted' },
    ];
    groups.forEach(function (g) {
      if (!g.items.length) return;
      box.appendChild(el('h3', { className: 'group', text: g.title + ' (' + g.items.length + ')' }));
      var ul = el('ul', { className: 'cards', 'aria-label': g.title });
      g.items.forEach(function (p) {
        var link = p.voteUrl
          ? el('a', { href: p.voteUrl, className: 'button primary', target: '_blank', rel: 'noopener', 'aria-label': t('voteLinkFor', p.title) }, t('voteLink'))
          : el('p', { className: 'muted', text: t('voteInChat') });
        if (p.voteUrl && state.inTeams) link.addEventListener('click', function (ev) { ev.preventDefault(); state.teams.app.openLink(p.voteUrl); });
        var title = el('h3', null, p.title, el('span', { className: 'badge ' + g.cls, text: p.voted ? t('voted') : t('notVoted') }));
        ul.appendChild(el('li', { className: 'card procedure', 'data-procedure-id': p.id, 'data-voted': String(p.voted) },
          title,
          el('p', { className: 'meta', text: p.forum + ' · ' + t('deadline') + ': ' + fmtDateTime(p.deadline) }),
          el('p', { text: t('progress', p.answered, p.items) }),
          p.onBehalfOf ? el('p', { text: t('onBehalf', p.onBehalfOf) }) : null,
          el('div', { className: 'actions' }, link)));
      });
      box.appendChild(ul);
    });
  }

  // ---- tabs (WAI-ARIA tabs pattern: arrows, Home, End) ------------------------------------------------
  function setupTabs() {
    var tabs = Array.prototype.slice.call(document.querySelectorAll('[role="tab"]'));
    function select(tab, focus) {
      tabs.forEach(function (x) {
        var on = x === tab;
        x.setAttribute('aria-selected', String(on));
        x.tabIndex = on ? 0 : -1;
        document.getElementById(x.getAttribute('aria-controls')).hidden = !on;
      });
      if (focus) tab.focus();
      setStatus('');
    }
    tabs.forEach(function (tab, i) {
      tab.addEventListener('click', function () { select(tab, false); });
      tab.addEventListener('keydown', function (ev) {
        var next = null;
        if (ev.key === 'ArrowRight') next = tabs[(i + 1) % tabs.length];
        else if (ev.key === 'ArrowLeft') next = tabs[(i - 1 + tabs.length) % tabs.length];
        else if (ev.key === 'Home') next = tabs[0];
        else if (ev.key === 'End') next = tabs[tabs.length - 1];
        if (next) { ev.preventDefault(); select(next, true); }
      });
    });
    var initial = new URLSearchParams(location.search).get('view');
    var start = { search: 'tab-search', votes: 'tab-votes' }[initial];
    if (start) select(document.getElementById(start), false);
  }

  function setupSearch() {
    document.getElementById('search-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      var q = document.getElementById('q').value.trim();
      if (!q) return;
      var params = new URLSearchParams({ q: q });
      var forum = document.getElementById('forum').value;
      var year = document.getElementById('year').value;
      if (forum) params.set('forum', forum);
      if (year) params.set('year', year);
      setStatus(t('searching'));
      document.getElementById('results').setAttribute('aria-busy', 'true');
      apiGet('/api/tab/search?' + params.toString()).then(function (r) {
        document.getElementById('results').setAttribute('aria-busy', 'false');
        renderResults(r);
      }).catch(showError);
    });
  }

  function start() {
    setupTabs();
    setupSearch();
    initTeams().then(function (inTeams) {
      if (!inTeams) initStandalone();
      setStatus(t('loading'));
      return apiGet('/api/tab/me');
    }).then(function (me) {
      state.me = me;
      var name = state.teamsUser || (me.user && me.user.name) || '';
      document.getElementById('who').textContent = me.user && me.user.dev ? t('devIdentity') : name ? t('signedInAs', name) : '';
      fillFilters(me);
      return Promise.all([
        apiGet('/api/tab/meetings').then(function (r) { renderMeetings(r.meetings); }),
        apiGet('/api/tab/procedures').then(function (r) { renderVotes(r.procedures); }),
      ]);
    }).then(function () {
      setStatus('');
      document.body.setAttribute('data-ready', 'true');
    }).catch(function (e) {
      showError(e);
      document.body.setAttribute('data-ready', 'error');
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
