import Testing
import NASArchitecture
@testable import NASMeasurement

@Suite(.serialized) struct HostNetworkCorrectness {
    static let networks: [(String, String)] = [
        ("conv→pool→flatten→dense→softmax", """
        {"name": "small", "input": [12, 10, 3], "batch": 2, "layers": [
          {"type": "conv2d", "filters": 10, "kernel": 3, "padding": "same", "activation": "relu"},
          {"type": "max_pool2d", "pool_size": 2},
          {"type": "flatten"},
          {"type": "dense", "units": 7},
          {"type": "activation", "function": "softmax"}]}
        """),
        ("depthwise→pointwise→global pool→dense→dense softmax", """
        {"name": "mobile", "input": [9, 9, 24], "batch": 3, "layers": [
          {"type": "conv2d", "depthwise": true, "kernel": 3, "strides": 2, "padding": "same", "activation": "relu6"},
          {"type": "conv2d", "filters": 40, "kernel": 1, "batch_norm": true, "use_bias": false},
          {"type": "activation", "function": "relu"},
          {"type": "global_avg_pool2d"},
          {"type": "dense", "units": 12, "activation": "relu"},
          {"type": "dense", "units": 5, "activation": "softmax"}]}
        """),
        ("standalone activations, flatten into softmax", """
        {"name": "acts", "input": [8, 8, 5], "batch": 2, "layers": [
          {"type": "conv2d", "filters": 6, "kernel": [3, 2], "padding": [1, 0, 1, 0]},
          {"type": "activation", "function": "relu6"},
          {"type": "avg_pool2d", "pool_size": 3, "strides": 2, "padding": "same"},
          {"type": "activation", "function": "tanh"},
          {"type": "flatten"},
          {"type": "activation", "function": "softmax"}]}
        """),
        ("activation first, dilated conv, grouped conv, flatten last", """
        {"name": "edges", "input": [11, 13, 4], "batch": 1, "layers": [
          {"type": "activation", "function": "sigmoid"},
          {"type": "conv2d", "filters": 8, "kernel": 3, "dilation": 2},
          {"type": "conv2d", "filters": 8, "kernel": 3, "groups": 4, "padding": "same", "activation": "tanh"},
          {"type": "max_pool2d", "pool_size": 3, "strides": 1},
          {"type": "flatten"}]}
        """),
        ("flatten between activations before dense", """
        {"name": "chain", "input": [6, 6, 16], "batch": 2, "layers": [
          {"type": "conv2d", "filters": 16, "kernel": 3},
          {"type": "activation", "function": "relu"},
          {"type": "flatten"},
          {"type": "activation", "function": "sigmoid"},
          {"type": "dense", "units": 3}]}
        """),
    ]

    static func parameters(_ net: ResolvedNetwork, batch: Int, seed: UInt64) -> [Int: LayerParameters] {
        var data = TestData(seed: seed)
        var out: [Int: LayerParameters] = [:]
        for layer in net.layers {
            if case .conv2d = layer.operation { out[layer.index] = data.parameters(layer.workload(batch: batch)!) }
            if case .dense = layer.operation { out[layer.index] = data.parameters(layer.workload(batch: batch)!) }
        }
        return out
    }

    @Test(arguments: 0..<networks.count)
    func networkMatchesReference(_ i: Int) throws {
        let (name, json) = Self.networks[i]
        let net = try Architecture(json: Data(json.utf8)).resolved()
        var data = TestData(seed: UInt64(300 + i))
        let x = data.values(net.batch * net.architecture.inputShape.elements)
        let params = Self.parameters(net, batch: net.batch, seed: UInt64(400 + i))
        let got = try HostBackend().runNetwork(net, batch: net.batch, input: x, parameters: params)
        let want = NaiveReference.network(net, batch: net.batch, input: x, parameters: params)
        #expect(got.count == net.batch * net.output.elements)
        let err = relativeError(got, want)
        #expect(err <= 1e-4, "\(name): relative error \(err)")
    }

    @Test func activationsFuseIntoThePrecedingConvOrDense() throws {
        let net = try Architecture(json: Data(Self.networks[4].1.utf8)).resolved()
        let specs = try HostBackend.specs(for: net, batch: 1)
        let (postOps, fused, softmax) = HostProgram.planFusion(specs)
        #expect(postOps[0] == [.relu, .logistic])
        #expect(fused == [nil, 0, nil, 0, nil])
        #expect(softmax == [false, false, false, false, false])
        // Through the flatten the dense reads the conv's 4-D output directly.
        #expect(HostProgram.denseConsumesSpatial(specs, after: 2, fused: fused))
    }
}

import Foundation
