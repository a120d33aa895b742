/** The public embedding API: importing this module registers `<mesh-board>`. */
export { MeshBoard, ReadonlyBoardError } from './ui/mesh-board'
export type {
  MeshBoardChangeDetail,
  MeshChangeDetail,
  MeshErrorDetail,
  MeshPeersDetail,
  MeshReadyDetail,
  MeshStatusDetail,
  MeshStoreDetail,
} from './ui/mesh-board'
export type { ServerStoreStatus } from './store/server-store'
export type { VoiceParticipant, VoiceState } from './ui/voice-controller'
export type { Theme } from './ui/attributes'
export type { BoardJSON, ShapeJSON, StrokeJSON } from './model/board-json'
export { BoardImportError } from './model/board-json'
export type { ConnectionStatus } from './net/board-connection'
export type { ToolName } from './tools/tool'
