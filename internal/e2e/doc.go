// Package e2e holds the browser tests of ProPortal: the built portal (web/dist)
// and the API, served in-process by the local server on moto_server, driven
// through headless Chromium with chromedp the way a seat admin uses them.
//
// The tests find elements by their role and accessible name, as a screen
// reader user would, not by CSS classes. Each test writes a full-page
// screenshot of every page it visits to test-artifacts/screenshots/ at the
// repository root (a FAILED-<test>.png too when a step fails), checks each of
// those pages for what assistive technology would trip over (controls without
// a name, dangling ARIA references, duplicate ids, no h1, no lang or title),
// and fails on any console error, uncaught exception or failed request that
// the test does not expect.
//
// They need Chromium (/usr/bin/chromium, or $CHROMIUM) and a built portal:
// web/dist, or the folder $WEB_DIST names.
package e2e
