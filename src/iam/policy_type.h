#pragma once
// How the evaluator reads a statement without a Principal (evaluator.h), in a header of its own
// so that the document kinds can name it without the evaluator.

namespace gdl::iam {

// An identity policy's principal-less statements apply to its own principal (the evaluator's
// requests then stand for that principal's); a key or bucket policy's apply to no one.
enum class PolicyType { any, resource };

}  // namespace gdl::iam
