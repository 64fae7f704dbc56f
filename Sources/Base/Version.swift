public let terrariumVersion = "0.1.0"
