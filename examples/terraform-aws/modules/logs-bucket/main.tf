# A bucket that receives access logs from the other buckets.

variable "name" {
  type = string
}

variable "versioning" {
  type    = bool
  default = false
}

variable "retention_in_days" {
  type = number
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration {
    status = var.versioning ? "Enabled" : "Suspended"
  }
}

output "bucket_id" {
  value = aws_s3_bucket.this.id
}
