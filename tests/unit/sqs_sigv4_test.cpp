// SigV4 against AWS's Signature Version 4 test suite, as shipped with AWS C Auth
// (github.com/awslabs/aws-c-auth, tests/aws-signing-test-suite/v4; Copyright Amazon.com, Inc.
// or its affiliates; Apache License 2.0, see its NOTICE: "AWS C Auth"). Each case below is
// transcribed from one directory of the suite: request.txt (method, path, query, headers,
// body), context.json (normalize, sign_body, omit_session_token, the session token),
// header-canonical-request.txt, header-string-to-sign.txt and the Authorization line of
// header-signed-request.txt. Every case uses the suite's credentials (AKIDEXAMPLE /
// wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY), region us-east-1, service "service" and the time
// 2015-08-30T12:36:00Z.
//
// Applies: all 38 cases, in their header-signing form. Not transcribed: the query-signing
// form of each case (query-*.txt, presigned URLs with X-Amz-Expires), which postwire does not
// produce; SQS requests are always signed in the Authorization header.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "postwire/error.hpp"
#include "protocol/sqs/sigv4.hpp"

namespace postwire::sqs {
namespace {

struct SuiteCase {
  std::string_view name;
  std::string_view method;
  std::string_view path;
  std::string_view query;
  std::vector<Header> headers;
  std::string_view body;
  std::string_view session_token;
  SigningOptions options;
  std::string_view canonical_request;
  std::string_view string_to_sign;
  std::string_view authorization;
  std::vector<std::string_view> added_headers;
};

constexpr std::string_view suite_access_key_id = "AKIDEXAMPLE";
constexpr std::string_view suite_secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr SigningScope suite_scope{
    .region = "us-east-1", .service = "service", .amz_date = "20150830T123600Z"};

// clang-format off
const std::vector<SuiteCase>& suite() {
  static const std::vector<SuiteCase> cases = {
      {
          .name = "get-header-key-duplicate",
          .method = "GET",
          .path = "/",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}, {"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\ndc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;x-amz-date, Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-header-value-multiline",
          .method = "GET",
          .path = "/",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}, {"My-Header1", "value1\n  value2\n     value3"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1 value2 value3\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\ne99419459a677bc11de234014be3c4e72c1ea5b454ceb58b613061f5d7a162e8",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;x-amz-date, Signature=cfd34249e4b1c8d6b91ef74165d41a32e5fab3306300901bb65a51a73575eefd",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-header-value-order",
          .method = "GET",
          .path = "/",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}, {"My-Header1", "value4"}, {"My-Header1", "value1"}, {"My-Header1", "value3"}, {"My-Header1", "value2"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value4,value1,value3,value2\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;x-amz-date, Signature=08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-header-value-trim",
          .method = "GET",
          .path = "/",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}, {"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\na726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-relative-normalized",
          .method = "GET",
          .path = "/example/..",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-relative-relative-normalized",
          .method = "GET",
          .path = "/example1/example2/../..",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-relative-relative-unnormalized",
          .method = "GET",
          .path = "/example1/example2/../..",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = false, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/example1/example2/../..\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n76115030c0f3ff06c20fdff5ceb6d5e0b835a1743e00b94fea7c7f381269437b",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=dc33e0856fd4baca4d7aa2146c38958283844764f38c74252a333df5e613003b",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-relative-unnormalized",
          .method = "GET",
          .path = "/example/..",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = false, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/example/..\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n0511f456aa502b456d135fcb9d749374a55228f9dbeedda1eacf659e05b0615b",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=eca7ead57bb5aa5c8e28007acd4ff04e1ff9a0ff3b237ec1554a184887ff9282",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-slash-dot-slash-normalized",
          .method = "GET",
          .path = "/./",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-slash-dot-slash-unnormalized",
          .method = "GET",
          .path = "/./",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = false, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/./\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nd67825e2268bd77a97c7688b8d72c31a3c1855b309808505ba0a9747d2465aa7",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=68714168e6557f8f2de0ef956fc24dc2593a4bd2961f8df51898d8a134695145",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-slash-normalized",
          .method = "GET",
          .path = "//",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-slash-pointless-dot-normalized",
          .method = "GET",
          .path = "/./example",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/example\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n214d50c111a8edc4819da6a636336472c916b5240f51e9a51b5c3305180cf702",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-slash-pointless-dot-unnormalized",
          .method = "GET",
          .path = "/./example",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = false, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/./example\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n73895e0e829507e28e39fd24669aedc2434a8e179e547e3c075b42921f952cdb",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=beb03f223f7deae4146464f06e29eebbee9c8afbe15c290cf07aa8b119e14cff",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-slash-unnormalized",
          .method = "GET",
          .path = "//",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = false, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n//\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n80cb39203d058af815de2b79250ff56e1b73eb9b4718c86556cdc6f150c5d209",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=c88bcd3d312d75078c0cd961d6deae3f4c754924b01669efcfcb439fd5e5b76e",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-slashes-normalized",
          .method = "GET",
          .path = "//example//",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/example/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\ncb96b4ac96d501f7c5c15bc6d67b3035061cfced4af6585ad927f7e6c985c015",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-slashes-unnormalized",
          .method = "GET",
          .path = "//example//",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = false, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n//example//\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n528ec3105ee1f34ab014bb0a1a45da0ed2742a4fea3555149e5b4d5d201eb240",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=87cca117541a147f6df867677d98a7d80dff226d2bfca9e4ffa899665623c7e5",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-space-normalized",
          .method = "GET",
          .path = "/example space/",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/example%20space/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-space-unnormalized",
          .method = "GET",
          .path = "/example space/",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = false, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/example%20space/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-unreserved",
          .method = "GET",
          .path = "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-utf8",
          .method = "GET",
          .path = "/\xe1""\x88""\xb4""",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/%E1%88%B4\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-vanilla",
          .method = "GET",
          .path = "/",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-vanilla-empty-query-key",
          .method = "GET",
          .path = "/",
          .query = "Param1=value1",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n1e24db194ed7d0eec2de28d7369675a243488e08526e8c1c73571282f7c517ab",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-vanilla-query",
          .method = "GET",
          .path = "/",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-vanilla-query-order-encoded",
          .method = "GET",
          .path = "/",
          .query = "Param-3=Value3&Param=Value2&%E1%88%B4=Value1",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/\n%E1%88%B4=Value1&Param=Value2&Param-3=Value3\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n868294f5c38bd141c4972a373a76654f1418a8e4fc18b2e7903ae45e8ae0ec71",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-vanilla-query-order-key-case",
          .method = "GET",
          .path = "/",
          .query = "Param2=value2&Param1=value1",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-vanilla-query-unreserved",
          .method = "GET",
          .path = "/",
          .query = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/\n-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nc30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-vanilla-utf8-query",
          .method = "GET",
          .path = "/",
          .query = "\xe1""\x88""\xb4""=bar",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/\n%E1%88%B4=bar\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\neb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "get-vanilla-with-session-token",
          .method = "GET",
          .path = "/",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267\n\nhost;x-amz-date;x-amz-security-token\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n067b36aa60031588cea4a4cde1f21215227a047690c72247f1d70b32fbbfad2b",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8",
          .added_headers = {"X-Amz-Security-Token", "X-Amz-Date", "Authorization"},
      },
      {
          .name = "post-header-key-case",
          .method = "POST",
          .path = "/",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "post-header-key-sort",
          .method = "POST",
          .path = "/",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}, {"My-Header1", "value1"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "POST\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n9368318c2967cf6de74404b30c65a91e8f6253e0a8659d6d5319f1a812f87d65",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;x-amz-date, Signature=c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "post-header-value-case",
          .method = "POST",
          .path = "/",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}, {"My-Header1", "VALUE1"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "POST\n/\n\nhost:example.amazonaws.com\nmy-header1:VALUE1\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nd51ced243e649e3de6ef63afbbdcbca03131a21a7103a1583706a64618606a93",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;x-amz-date, Signature=cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "post-sts-header-after",
          .method = "POST",
          .path = "/",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = false},
          .canonical_request = "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
          .added_headers = {"X-Amz-Security-Token", "X-Amz-Date", "Authorization"},
      },
      {
          .name = "post-sts-header-before",
          .method = "POST",
          .path = "/",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==\n\nhost;x-amz-date;x-amz-security-token\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nc237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead",
          .added_headers = {"X-Amz-Security-Token", "X-Amz-Date", "Authorization"},
      },
      {
          .name = "post-vanilla",
          .method = "POST",
          .path = "/",
          .query = "",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "post-vanilla-empty-query-value",
          .method = "POST",
          .path = "/",
          .query = "Param1=value1",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "POST\n/\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "post-vanilla-query",
          .method = "POST",
          .path = "/",
          .query = "Param1=value1",
          .headers = {{"Host", "example.amazonaws.com"}},
          .body = "",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = false, .sign_session_token = true},
          .canonical_request = "POST\n/\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11",
          .added_headers = {"X-Amz-Date", "Authorization"},
      },
      {
          .name = "post-x-www-form-urlencoded",
          .method = "POST",
          .path = "/",
          .query = "",
          .headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Host", "example.amazonaws.com"}, {"Content-Length", "13"}},
          .body = "Param1=value1",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = true, .sign_session_token = true},
          .canonical_request = "POST\n/\n\ncontent-length:13\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\nx-amz-date:20150830T123600Z\n\ncontent-length;content-type;host;x-amz-content-sha256;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nb1edd1d03544c25390e32085d55b57acc9a3961bb59415ff86c45c3d89d16cfb",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b",
          .added_headers = {"X-Amz-Date", "x-amz-content-sha256", "Authorization"},
      },
      {
          .name = "post-x-www-form-urlencoded-parameters",
          .method = "POST",
          .path = "/",
          .query = "",
          .headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}, {"Host", "example.amazonaws.com"}, {"Content-Length", "13"}},
          .body = "Param1=value1",
          .session_token = "",
          .options = {.normalize_path = true, .add_content_sha256 = true, .sign_session_token = true},
          .canonical_request = "POST\n/\n\ncontent-length:13\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:example.amazonaws.com\nx-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\nx-amz-date:20150830T123600Z\n\ncontent-length;content-type;host;x-amz-content-sha256;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
          .string_to_sign = "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\na89f1a5b53e37702ee6363ce1da3ce8f54386f3c8f352ae652153c2982a0bc4d",
          .authorization = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=328d1b9eaadca9f5818ef05e8392801e091653bafec24fcab71e7344e7f51422",
          .added_headers = {"X-Amz-Date", "x-amz-content-sha256", "Authorization"},
      },
  };
  return cases;
}
// clang-format on

Credentials suite_credentials(const SuiteCase& c) {
  return {std::string(suite_access_key_id), std::string(suite_secret),
          std::string(c.session_token)};
}

HttpRequestToSign request_of(const SuiteCase& c) {
  return {
      .method = c.method, .path = c.path, .query = c.query, .headers = c.headers, .body = c.body};
}

std::string_view value_of(const std::vector<Header>& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (n == name) {
      return v;
    }
  }
  return {};
}

class SqsSigV4Suite : public ::testing::TestWithParam<SuiteCase> {};

TEST_P(SqsSigV4Suite, SignsAsTheSuiteExpects) {
  const SuiteCase& c = GetParam();
  const std::vector<Header> added =
      sign(request_of(c), suite_scope, suite_credentials(c), c.options);

  std::vector<std::string_view> names;
  for (const auto& header : added) {
    names.push_back(header.first);
  }
  EXPECT_EQ(names, c.added_headers);
  EXPECT_EQ(value_of(added, "Authorization"), c.authorization);
  EXPECT_EQ(value_of(added, "X-Amz-Date"), suite_scope.amz_date);
  if (!c.session_token.empty()) {
    EXPECT_EQ(value_of(added, "X-Amz-Security-Token"), c.session_token);
  }
}

TEST_P(SqsSigV4Suite, CanonicalRequestAndStringToSignMatchTheSuite) {
  const SuiteCase& c = GetParam();
  // The request as it is signed: with the headers sign() adds, except one that is added
  // after signing (an unsigned session token) or the Authorization header itself.
  HttpRequestToSign request = request_of(c);
  for (const auto& header : sign(request_of(c), suite_scope, suite_credentials(c), c.options)) {
    const bool unsigned_token =
        header.first == "X-Amz-Security-Token" && !c.options.sign_session_token;
    if (header.first != "Authorization" && !unsigned_token) {
      request.headers.push_back(header);
    }
  }
  const CanonicalRequest canonical = canonical_request(request, c.options);
  EXPECT_EQ(canonical.text, c.canonical_request);
  EXPECT_EQ(string_to_sign(canonical.text, suite_scope), c.string_to_sign);
}

TEST_P(SqsSigV4Suite, CachingSignerSignsTheSame) {
  const SuiteCase& c = GetParam();
  Signer signer(suite_credentials(c));
  const auto first = signer.sign(request_of(c), suite_scope, c.options);
  const auto second = signer.sign(request_of(c), suite_scope, c.options);
  EXPECT_EQ(value_of(first, "Authorization"), c.authorization);
  EXPECT_EQ(value_of(second, "Authorization"), c.authorization);
  EXPECT_EQ(signer.keys_derived(), 1U);
}

INSTANTIATE_TEST_SUITE_P(SqsAwsSuite, SqsSigV4Suite, ::testing::ValuesIn(suite()),
                         [](const ::testing::TestParamInfo<SuiteCase>& param) {
                           std::string name(param.param.name);
                           for (char& ch : name) {
                             if (ch == '-') {
                               ch = '_';
                             }
                           }
                           return name;
                         });

// AWS's worked example of the key derivation (the SigV4 guide's IAM ListUsers request of
// 20150830 in us-east-1, with the suite's secret): the expected signature was also
// recomputed with Python's hmac module over the documented chain.
TEST(SqsSigV4, SigningKeyFollowsTheHmacChain) {
  const SigningKey key = signing_key(suite_secret, "20150830", "us-east-1", "iam");
  const std::string sts =
      "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
      "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59";
  EXPECT_EQ(key.sign(sts), "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST(SqsSigV4, SignerDerivesANewKeyOnlyWhenTheScopeChanges) {
  Signer signer({std::string(suite_access_key_id), std::string(suite_secret), ""});
  const HttpRequestToSign request{
      .method = "POST", .path = "/", .headers = {{"Host", "sqs.us-east-1.amazonaws.com"}}};
  static_cast<void>(signer.sign(request, suite_scope));
  static_cast<void>(signer.sign(
      request, {.region = "us-east-1", .service = "service", .amz_date = "20150830T235959Z"}));
  EXPECT_EQ(signer.keys_derived(), 1U) << "same day, region and service";
  static_cast<void>(signer.sign(
      request, {.region = "us-east-1", .service = "service", .amz_date = "20150831T000000Z"}));
  EXPECT_EQ(signer.keys_derived(), 2U) << "a new day";
  static_cast<void>(signer.sign(
      request, {.region = "eu-west-1", .service = "service", .amz_date = "20150831T000000Z"}));
  EXPECT_EQ(signer.keys_derived(), 3U) << "a new region";
  signer.set_credentials({"AKIDOTHER", "other-secret", ""});
  static_cast<void>(signer.sign(
      request, {.region = "eu-west-1", .service = "service", .amz_date = "20150831T000000Z"}));
  EXPECT_EQ(signer.keys_derived(), 4U) << "new credentials";
}

template <typename Fn>
void expect_invalid(Fn&& fn, std::string_view needle) {
  try {
    fn();
    ADD_FAILURE() << "no exception; expected one mentioning \"" << needle << "\"";
  } catch (const Exception& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << e.what();
    EXPECT_NE(std::string_view(e.what()).find(needle), std::string_view::npos) << e.what();
    EXPECT_EQ(std::string_view(e.what()).find(suite_secret), std::string_view::npos)
        << "an error message must never carry the secret";
  }
}

TEST(SqsSigV4, RejectsWhatCannotBeSigned) {
  const Credentials credentials{std::string(suite_access_key_id), std::string(suite_secret), ""};
  const HttpRequestToSign good{
      .method = "POST", .path = "/", .headers = {{"Host", "sqs.us-east-1.amazonaws.com"}}};
  HttpRequestToSign no_host = good;
  no_host.headers.clear();
  expect_invalid([&] { static_cast<void>(sign(no_host, suite_scope, credentials)); }, "Host");
  HttpRequestToSign with_date = good;
  with_date.headers.emplace_back("x-amz-date", "20150830T123600Z");
  expect_invalid([&] { static_cast<void>(sign(with_date, suite_scope, credentials)); },
                 "x-amz-date");
  HttpRequestToSign bad_name = good;
  bad_name.headers.emplace_back("Bad Name", "x");
  expect_invalid([&] { static_cast<void>(sign(bad_name, suite_scope, credentials)); }, "Bad Name");
  expect_invalid(
      [&] {
        static_cast<void>(
            sign(good, {.region = "us-east-1", .service = "sqs", .amz_date = "2015"}, credentials));
      },
      "YYYYMMDDTHHMMSSZ");
  expect_invalid(
      [&] {
        static_cast<void>(
            sign(good, {.region = "us/east", .service = "sqs", .amz_date = "20150830T123600Z"},
                 credentials));
      },
      "region");
  expect_invalid(
      [&] {
        static_cast<void>(sign(good, suite_scope, {"AKIDEXAMPLE", "", ""}));
      },
      "no secret access key");
}

TEST(SqsSigV4, AmzDateIsUtcSeconds) {
  // 2015-08-30T12:36:00Z is 1440938160 seconds after the epoch.
  const auto time = std::chrono::system_clock::time_point(std::chrono::seconds(1440938160)) +
                    std::chrono::milliseconds(999);
  EXPECT_EQ(amz_date(time), "20150830T123600Z");
}

TEST(SqsSigV4, UriEncodingKeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(uri_encode("a b/c~d*e+f=g"), "a%20b%2Fc~d%2Ae%2Bf%3Dg");
  EXPECT_EQ(uri_encode_path("/a b/c"), "/a%20b/c");
  EXPECT_EQ(uri_encode("\xe1\x88\xb4"), "%E1%88%B4");
}

}  // namespace
}  // namespace postwire::sqs
