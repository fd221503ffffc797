variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "project" {
  type = string
}

variable "environment" {
  type    = string
  default = "dev"
}

variable "vpc_id" {
  type = string
}

variable "ami" {
  type = string
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "log_versioning" {
  type    = bool
  default = true
}
