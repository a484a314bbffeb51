// faye 1.4.3's shared constants, bundled into the browser client.
declare module 'faye/src/util/constants.js' {
  const constants: { MANDATORY_CONNECTION_TYPES: string[] };
  export default constants;
}
