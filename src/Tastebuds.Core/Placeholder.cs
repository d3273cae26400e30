namespace Tastebuds.Core; public static class Placeholder {}
