// Package assetstest holds TLS material for tests: a CA, a client
// certificate it signed, that certificate's key and another key. They are
// ECDSA P-256, valid until 2126, and secret to nobody; no binary imports
// this package.
package assetstest

// CA is a self-signed CA certificate.
const CA = `-----BEGIN CERTIFICATE-----
MIIBhzCCAS2gAwIBAgIUA+flns9HAVgsjWmHBbKEyaYcV/EwCgYIKoZIzj0EAwIw
GDEWMBQGA1UEAwwNdmlnaWwgdGVzdCBDQTAgFw0yNjExMjkxNTUxMTRaGA8yMTI2
MTEwNTE1NTExNFowGDEWMBQGA1UEAwwNdmlnaWwgdGVzdCBDQTBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABF1y0UnUPfrrEO/YdhWJjTcPe1btTzerqkxlT1fddk1t
oiwBGx2XPKf+chYnrdzmpEQ6+u4vicwshZLDWBLD9h2jUzBRMB0GA1UdDgQWBBQX
BAkBmEGqpiPCKTbYH6m/Y8983DAfBgNVHSMEGDAWgBQXBAkBmEGqpiPCKTbYH6m/
Y8983DAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIGigin/JcuDQ
cQGQCgvhARzd8AlJYAhQY7im7C3txn5bAiEAu2eiFnShGGV0kNk3I8Sd5Ph4X8UN
t/8pXwa7FdcSnUk=
-----END CERTIFICATE-----
`

// ClientCert is a client certificate signed by CA.
const ClientCert = `-----BEGIN CERTIFICATE-----
MIIBLzCB1wIUdUoOboaFde3IgQz0JhPUE0blkJkwCgYIKoZIzj0EAwIwGDEWMBQG
A1UEAwwNdmlnaWwgdGVzdCBDQTAgFw0yNjExMjkxNTUxMTVaGA8yMTI2MTEwNTE1
NTExNVowHDEaMBgGA1UEAwwRdmlnaWwgdGVzdCBjbGllbnQwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAAR1gPjHCqQMrTKW1NslRcewcoc+3Op0MR2fvl8N5DDEekjP
fxsHI36bLPNVA6VcWRnZrbHLHTBkgpLb8ZtKT15TMAoGCCqGSM49BAMCA0cAMEQC
IBtDnkdR833LTiPK5SGd+dEYLIrgjq0Y7VaL30q8ImAbAiB6pMoLK6n3t15KoEV0
yHpPe+q3Bua3KKpzExa98kME5A==
-----END CERTIFICATE-----
`

// ClientKey is ClientCert's private key (PKCS #8).
const ClientKey = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgaaIyqXHMYeDB0qiY
+L7NGdgSUjGhQI5GiBLNn7bdK06hRANCAAR1gPjHCqQMrTKW1NslRcewcoc+3Op0
MR2fvl8N5DDEekjPfxsHI36bLPNVA6VcWRnZrbHLHTBkgpLb8ZtKT15T
-----END PRIVATE KEY-----
`

// OtherKey is a private key that does not go with ClientCert.
const OtherKey = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgijTBtU/o7DrOMcot
1suVf+xfVX+kl/czxkP7zz5tVNShRANCAAQ53I28PV2mRSn5bOEg3Qr+SVAviEmf
klgyRHIMiAlWoZ9nAzagn/f2NTShBVVT3TqGvWsqohuzqaobEm+HpbLu
-----END PRIVATE KEY-----
`
