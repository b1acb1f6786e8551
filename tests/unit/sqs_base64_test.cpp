#include <gtest/gtest.h>

#include <string>

#include "protocol/sqs/base64.hpp"

namespace postwire::sqs {
namespace {

// RFC 4648 section 10's test vectors.
TEST(SqsBase64, EncodesTheRfcVectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(SqsBase64, DecodesTheRfcVectors) {
  EXPECT_EQ(base64_decode(""), std::string());
  EXPECT_EQ(base64_decode("Zg=="), "f");
  EXPECT_EQ(base64_decode("Zm8="), "fo");
  EXPECT_EQ(base64_decode("Zm9v"), "foo");
  EXPECT_EQ(base64_decode("Zm9vYg=="), "foob");
  EXPECT_EQ(base64_decode("Zm9vYmE="), "fooba");
  EXPECT_EQ(base64_decode("Zm9vYmFy"), "foobar");
}

TEST(SqsBase64, RoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) {
    all.push_back(static_cast<char>(i));
  }
  EXPECT_EQ(base64_decode(base64_encode(all)), all);
  EXPECT_EQ(base64_encode("\xff\xfe\xfd"), "//79");
}

TEST(SqsBase64, RejectsWhatIsNotCanonical) {
  EXPECT_FALSE(base64_decode("Zg="));         // not a multiple of four
  EXPECT_FALSE(base64_decode("Zg=a"));        // padding before data
  EXPECT_FALSE(base64_decode("Zh=="));        // stray bits in the last group
  EXPECT_FALSE(base64_decode("Zm9=Zm9v"));    // padding in the middle
  EXPECT_FALSE(base64_decode("Zm9v\nYmFy"));  // whitespace
  EXPECT_FALSE(base64_decode("Zm9-"));        // the URL-safe alphabet
}

}  // namespace
}  // namespace postwire::sqs
