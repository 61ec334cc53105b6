// Stands in for protobufjs/minimal, which @datadog/sketches-js requires (without declaring it) only to serialise
// sketches as protobuf: the app never does, so the bundle leaves protobufjs out.
export default {};
