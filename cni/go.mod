module github.com/spidernet-io/spiderpool-java/cni

go 1.24
