/**
 * src/wire: the one layer that touches private parts of y-webrtc, simple-peer, lib0 and Yjs (issue
 * 21, item 4). Everything else in src and signaling goes through the hooks here, each of which says
 * which private field or behaviour it relies on. They were written and checked against exactly the
 * versions in WIRED_AGAINST; package.json pins those (simple-peer, which y-webrtc brings, by an
 * override), and the contract tests (test/unit/wire-contract.test.ts, yjs-internals.test.ts) check
 * that the installed packages are those versions and run every hook against the real libraries
 * (real y-webrtc providers and simple-peers over @roamhq/wrtc, real Yjs documents). Moving any of
 * these packages to another version means reading its source against each hook first: nothing of
 * this is their public API.
 *
 * It is the bottom layer, beneath src/model: the model needs Yjs internals too (the update screen,
 * versions) and must not import src/net, so the adapter sits where every layer may import it. It
 * imports only those vendor packages, never another layer of the app. One file per vendor:
 * - simple-peer-internals.ts: simple-peer 9.11.1 and the RTCDataChannel it writes to;
 * - y-webrtc-internals.ts: y-webrtc 10.3.0, its signaling client (lib0's WebsocketClient) and
 *   other tabs (lib0's broadcastchannel);
 * - yjs-internals.ts: Yjs 13.6.33's document, store and struct encoding (lib0's ObservableV2 and
 *   encoders under them);
 * Import the hooks from this module.
 */

/** The exact versions every hook here was read against. */
export const WIRED_AGAINST = {
  'y-webrtc': '10.3.0',
  'simple-peer': '9.11.1',
  lib0: '0.2.120',
  yjs: '13.6.33',
  'y-protocols': '1.0.7',
} as const

export * from './simple-peer-internals'
export * from './y-webrtc-internals'
export * from './yjs-internals'
