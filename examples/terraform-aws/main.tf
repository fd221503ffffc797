# An example AWS project with some ISO 27017 problems left in on purpose.
# Scan it with `npx iso27017 scan examples/` or open it in VS Code with the extension installed.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = var.region
}

locals {
  name = "${var.project}-${var.environment}"
}

# Application data: encrypted and versioned through the split S3 resources (provider v4+).
resource "aws_s3_bucket" "data" {
  bucket = "${local.name}-data"
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
  }
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_logging" "data" {
  bucket        = aws_s3_bucket.data.id
  target_bucket = module.logs.bucket_id
  target_prefix = "data/"
}

# A key without rotation.
resource "aws_kms_key" "data" {
  description = "Key for ${local.name} data"
}

# A bucket for exports: no versioning, no encryption, public ACL.
resource "aws_s3_bucket" "exports" {
  bucket = "${local.name}-exports"
  acl    = "public-read"
}

module "logs" {
  source       = "./modules/logs-bucket"
  name         = "${local.name}-logs"
  versioning   = var.log_versioning
  retention_in_days = 30
}

resource "aws_security_group" "admin" {
  name        = "${local.name}-admin"
  description = "Administrative access"
  vpc_id      = var.vpc_id

  ingress {
    description = "SSH from anywhere"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "app" {
  identifier              = "${local.name}-db"
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  allocated_storage       = 20
  username                = "app"
  password                = var.db_password
  storage_encrypted       = var.environment == "prod"
  publicly_accessible     = false
  backup_retention_period = 0
  deletion_protection     = true
}

resource "aws_instance" "bastion" {
  ami                         = var.ami
  instance_type               = "t3.micro"
  associate_public_ip_address = true

  metadata_options {
    http_tokens = "optional"
  }

  root_block_device {
    encrypted = true
  }
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/app/${local.name}"
  retention_in_days = 90
}
